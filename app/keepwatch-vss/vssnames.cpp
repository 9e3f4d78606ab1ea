// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "vssnames.h"

#include <cstdio>
#include <iterator>

namespace kw::vss {

namespace {

struct StateName {
    const char *name;
    const char *words;
    WriterHealth health;
};

// Indexed by the VSS_WRITER_STATE value.
constexpr StateName kStates[] = {
    {"VSS_WS_UNKNOWN", "unknown", WriterHealth::Unknown},
    {"VSS_WS_STABLE", "stable", WriterHealth::Stable},
    {"VSS_WS_WAITING_FOR_FREEZE", "waiting for freeze", WriterHealth::Busy},
    {"VSS_WS_WAITING_FOR_THAW", "waiting for thaw", WriterHealth::Busy},
    {"VSS_WS_WAITING_FOR_POST_SNAPSHOT", "waiting for post-snapshot", WriterHealth::Busy},
    {"VSS_WS_WAITING_FOR_BACKUP_COMPLETE", "waiting for backup complete", WriterHealth::Busy},
    {"VSS_WS_FAILED_AT_IDENTIFY", "failed at identify", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_PREPARE_BACKUP", "failed at prepare backup", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_PREPARE_SNAPSHOT", "failed at prepare snapshot", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_FREEZE", "failed at freeze", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_THAW", "failed at thaw", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_POST_SNAPSHOT", "failed at post-snapshot", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_BACKUP_COMPLETE", "failed at backup complete", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_PRE_RESTORE", "failed at pre-restore", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_POST_RESTORE", "failed at post-restore", WriterHealth::Failed},
    {"VSS_WS_FAILED_AT_BACKUPSHUTDOWN", "failed at backup shutdown", WriterHealth::Failed},
};

const StateName *stateEntry(int state) {
    if (state < 0 || state >= int(std::size(kStates)))
        return nullptr;
    return &kStates[state];
}

struct HresultName {
    std::uint32_t code;
    const char *name;
    const char *words;
};

constexpr HresultName kHresults[] = {
    {0x00000000, "S_OK", "success"},
    {0x00000001, "S_FALSE", "success, nothing done"},
    {0x80004001, "E_NOTIMPL", "not implemented"},
    {0x80004002, "E_NOINTERFACE", "interface not supported"},
    {0x80004003, "E_POINTER", "invalid pointer"},
    {0x80004004, "E_ABORT", "operation aborted"},
    {0x80004005, "E_FAIL", "unspecified failure"},
    {0x8000FFFF, "E_UNEXPECTED", "unexpected failure"},
    {0x80070005, "E_ACCESSDENIED", "access denied: run as administrator (backup operator)"},
    {0x8007000E, "E_OUTOFMEMORY", "out of memory"},
    {0x80070057, "E_INVALIDARG", "invalid argument"},
    {0x80070422, "HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)", "the VSS service is disabled"},
    {0x80010106, "RPC_E_CHANGED_MODE", "COM was initialised in another mode"},
    {0x80040154, "REGDB_E_CLASSNOTREG", "class not registered"},
    {0x00042309, "VSS_S_ASYNC_PENDING", "still running"},
    {0x0004230A, "VSS_S_ASYNC_FINISHED", "finished"},
    {0x0004230B, "VSS_S_ASYNC_CANCELLED", "cancelled"},
    {0x80042301, "VSS_E_BAD_STATE", "called in the wrong order or state"},
    {0x80042302, "VSS_E_UNEXPECTED", "unexpected VSS error; see the event log"},
    {0x80042303, "VSS_E_PROVIDER_ALREADY_REGISTERED", "provider already registered"},
    {0x80042304, "VSS_E_PROVIDER_NOT_REGISTERED", "provider not registered"},
    {0x80042306, "VSS_E_PROVIDER_VETO", "the provider vetoed the shadow copy; see the event log"},
    {0x80042307, "VSS_E_PROVIDER_IN_USE", "provider in use"},
    {0x80042308, "VSS_E_OBJECT_NOT_FOUND", "object not found (is the volume name right?)"},
    {0x8004230C, "VSS_E_VOLUME_NOT_SUPPORTED", "volume not supported for shadow copies"},
    {0x8004230D, "VSS_E_OBJECT_ALREADY_EXISTS", "object already exists"},
    {0x8004230E, "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER", "volume not supported by the provider"},
    {0x8004230F, "VSS_E_UNEXPECTED_PROVIDER_ERROR", "unexpected provider error"},
    {0x80042310, "VSS_E_CORRUPT_XML_DOCUMENT", "corrupt XML document"},
    {0x80042311, "VSS_E_INVALID_XML_DOCUMENT", "invalid XML document"},
    {0x80042312, "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED", "too many volumes in the set"},
    {0x80042313, "VSS_E_FLUSH_WRITES_TIMEOUT", "timed out flushing writes"},
    {0x80042314, "VSS_E_HOLD_WRITES_TIMEOUT", "timed out holding writes"},
    {0x80042315, "VSS_E_UNEXPECTED_WRITER_ERROR", "unexpected writer error"},
    {0x80042316, "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "another shadow copy is being created"},
    {0x80042317, "VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED", "too many shadow copies"},
    {0x80042318, "VSS_E_WRITER_INFRASTRUCTURE",
     "writer infrastructure error; restart the VSS service"},
    {0x80042319, "VSS_E_WRITER_NOT_RESPONDING", "a writer is not responding"},
    {0x8004231A, "VSS_E_WRITER_ALREADY_SUBSCRIBED", "writer already subscribed"},
    {0x8004231B, "VSS_E_UNSUPPORTED_CONTEXT", "unsupported context"},
    {0x8004231D, "VSS_E_VOLUME_IN_USE", "volume in use"},
    {0x8004231E, "VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED",
     "too many shadow storage associations"},
    {0x8004231F, "VSS_E_INSUFFICIENT_STORAGE", "not enough shadow storage space"},
    {0x80042327, "VSS_E_REBOOT_REQUIRED", "a reboot is required"},
    {0x80042328, "VSS_E_TRANSACTION_FREEZE_TIMEOUT", "timed out freezing transactions"},
    {0x80042329, "VSS_E_TRANSACTION_THAW_TIMEOUT", "timed out thawing transactions"},
    {0x8004232A, "VSS_E_UNSELECTED_VOLUME", "volume not selected"},
    {0x8004232D, "VSS_E_VOLUME_NOT_LOCAL", "volume not local"},
    {0x8004232F, "VSS_E_NOT_SUPPORTED", "not supported"},
    {0x80042336, "VSS_E_WRITERERROR_PARTIAL_FAILURE", "the writer failed on some components"},
    {0x800423F0, "VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT",
     "the shadow copy holds only some of the writer's volumes"},
    {0x800423F1, "VSS_E_WRITERERROR_OUTOFRESOURCES",
     "the writer ran out of resources; retry later"},
    {0x800423F2, "VSS_E_WRITERERROR_TIMEOUT",
     "the writer timed out between freeze and thaw; retry later"},
    {0x800423F3, "VSS_E_WRITERERROR_RETRYABLE", "the writer failed; a retry may succeed"},
    {0x800423F4, "VSS_E_WRITERERROR_NONRETRYABLE", "the writer failed; a retry will fail too"},
    {0x800423F5, "VSS_E_WRITERERROR_RECOVERY_FAILED", "the writer's recovery failed"},
    {0x80042409, "VSS_E_WRITER_STATUS_NOT_AVAILABLE", "writer status not available"},
};

const HresultName *hresultEntry(std::uint32_t hr) {
    for (const HresultName &entry : kHresults) {
        if (entry.code == hr)
            return &entry;
    }
    return nullptr;
}

std::string hex(std::uint32_t hr) {
    char text[11];
    std::snprintf(text, sizeof text, "0x%08x", unsigned(hr));
    return text;
}

} // namespace

std::string writerStateName(int state) {
    if (const StateName *entry = stateEntry(state))
        return entry->name;
    return "VSS_WS_" + std::to_string(state);
}

std::string writerStateWords(int state) {
    if (const StateName *entry = stateEntry(state))
        return entry->words;
    return "unknown state " + std::to_string(state);
}

WriterHealth writerHealth(int state) {
    if (const StateName *entry = stateEntry(state))
        return entry->health;
    return WriterHealth::Unknown;
}

std::string hresultName(std::uint32_t hr) {
    if (const HresultName *entry = hresultEntry(hr))
        return entry->name;
    return "HRESULT " + hex(hr);
}

std::string hresultWords(std::uint32_t hr) {
    if (const HresultName *entry = hresultEntry(hr))
        return entry->words;
    return {};
}

std::string describeHresult(std::uint32_t hr) {
    const HresultName *entry = hresultEntry(hr);
    if (!entry)
        return "HRESULT " + hex(hr);
    return std::string(entry->name) + " (" + hex(hr) + "): " + entry->words;
}

} // namespace kw::vss
