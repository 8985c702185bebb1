/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblapinames: the Async API's query parameters, as Symbl spells them.
 *
 * The only place they are written: the properties' blurbs, the query that
 * symbloptions.c builds and symbl-local-server's checks all use these, so
 * that a misspelt name fails to compile instead of being a parameter that
 * the API silently ignores. Plain literals, for symbl-local-server includes
 * this and nothing else of the plugin.
 */
#pragma once

#define SYMBL_API_NAME "name"
#define SYMBL_API_WEBHOOK_URL "webhookUrl"
#define SYMBL_API_CONFIDENCE_THRESHOLD "confidenceThreshold"
#define SYMBL_API_DETECT_PHRASES "detectPhrases"
#define SYMBL_API_DETECT_ENTITIES "detectEntities"
#define SYMBL_API_LANGUAGE_CODE "languageCode"
#define SYMBL_API_MODE "mode"
#define SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL \
    "enableSeparateRecognitionPerChannel"
#define SYMBL_API_ENABLE_SPEAKER_DIARIZATION "enableSpeakerDiarization"
#define SYMBL_API_DIARIZATION_SPEAKER_COUNT "diarizationSpeakerCount"
#define SYMBL_API_ENABLE_ALL_TRACKERS "enableAllTrackers"
#define SYMBL_API_ENABLE_SUMMARY "enableSummary"
#define SYMBL_API_CUSTOM_VOCABULARY "customVocabulary"
#define SYMBL_API_ENTITIES "entities"
#define SYMBL_API_CHANNEL_METADATA "channelMetadata"
#define SYMBL_API_TRACKERS "trackers"
