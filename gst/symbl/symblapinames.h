/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblapinames: the Async API's query parameters, as Symbl spells them,
 * and the languages languageCode takes.
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

/* What languageCode takes: the documented languages (2022; the list may
 * have grown since), and any RFC 5646 language tag (without the
 * grandfathered ones: language with extlangs, script, region, variants,
 * extensions, private use), matched without regard to case. */
#define SYMBL_API_LANGUAGE_CODES \
    "en-US", "en-GB", "en-AU", "en-IE", "en-IN", "en-ZA", "ru-RU", "fr-CA", \
    "fr-FR", "de-DE", "it-IT", "nl-NL", "ja-JP", "es-US", "es-ES", "ar-SA", \
    "hi-IN", "pt-BR", "pt-PT", "fa-IR"
#define SYMBL_API_LANGUAGE_TAG_PATTERN \
    "^([a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8})(-[a-z]{4})?" \
    "(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*" \
    "(-[0-9a-wyz](-[a-z0-9]{2,8})+)*(-x(-[a-z0-9]{1,8})+)?$"
