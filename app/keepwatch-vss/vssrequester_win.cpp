// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "guid.h"
#include "vssnames.h"
#include "vssrequester.h"
#include "writerreport.h"

#include <cstring>
#include <fstream>
#include <objbase.h>
#include <sstream>
#include <string>
#include <vector>
#include <vsbackup.h>
#include <vss.h>
#include <vswriter.h>
#include <windows.h>

namespace kw::vss {

// vssnames.cpp repeats these values so that it compiles on Linux: prove here
// that they are the ones of the Windows headers.
static_assert(VSS_WS_UNKNOWN == 0 && VSS_WS_STABLE == 1 && VSS_WS_WAITING_FOR_BACKUP_COMPLETE == 5);
static_assert(VSS_WS_FAILED_AT_IDENTIFY == 6 && VSS_WS_FAILED_AT_FREEZE == 9);
static_assert(VSS_WS_FAILED_AT_BACKUPSHUTDOWN == 15);
static_assert(std::uint32_t(VSS_E_WRITERERROR_TIMEOUT) == 0x800423F2u);
static_assert(std::uint32_t(VSS_E_WRITERERROR_RETRYABLE) == 0x800423F3u);
static_assert(std::uint32_t(VSS_E_BAD_STATE) == 0x80042301u);
static_assert(std::uint32_t(E_NOTIMPL) == 0x80004001u);
static_assert(std::uint32_t(E_ACCESSDENIED) == 0x80070005u);
static_assert(sizeof(GUID) == sizeof(Guid));

namespace {

Guid toGuid(const GUID &g) {
    Guid out;
    out.data1 = g.Data1;
    out.data2 = g.Data2;
    out.data3 = g.Data3;
    std::memcpy(out.data4, g.Data4, sizeof out.data4);
    return out;
}

std::string fromWide(const wchar_t *text) {
    if (!text)
        return {};
    static_assert(sizeof(wchar_t) == sizeof(char16_t));
    return utf16ToUtf8(std::u16string_view(reinterpret_cast<const char16_t *>(text), wcslen(text)));
}

std::wstring toWide(const std::string &utf8) {
    if (utf8.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), nullptr, 0);
    std::wstring out(std::size_t(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), out.data(), n);
    return out;
}

// A failed call: which one and its HRESULT. Thrown inside the session and
// turned into one error event and a failed end.
struct VssFailure {
    std::string call;
    HRESULT hr;
};

void check(HRESULT hr, const char *call) {
    if (FAILED(hr))
        throw VssFailure{call, hr};
}

template<typename T>
class ComPtr {
public:
    ComPtr() = default;
    ~ComPtr() { reset(); }
    ComPtr(const ComPtr &) = delete;
    ComPtr &operator=(const ComPtr &) = delete;
    T **out() {
        reset();
        return &m_p;
    }
    T *operator->() const { return m_p; }
    T *get() const { return m_p; }
    explicit operator bool() const { return m_p != nullptr; }
    void reset() {
        if (m_p)
            m_p->Release();
        m_p = nullptr;
    }

private:
    T *m_p = nullptr;
};

// Waits for an asynchronous VSS operation and returns its own result: the
// call that started it may succeed while the operation fails.
void waitFor(IVssAsync *async, const char *call) {
    ComPtr<IVssAsync> guard;
    *guard.out() = async;
    check(async->Wait(INFINITE), call);
    HRESULT result = S_OK;
    check(async->QueryStatus(&result, nullptr), call);
    if (result == VSS_S_ASYNC_CANCELLED)
        throw VssFailure{call, result};
    check(result, call);
}

class Session {
public:
    Session(const Options &options, const std::vector<std::string> &argv, EventStream &events)
        : m_options(options)
        , m_argv(argv)
        , m_events(events)
        , m_writers(events) {}

    int run();

private:
    void startEvent();
    void step(const char *name, double percent);
    void readSessionId();
    std::vector<WriterStatus> gatherWriterStatus();
    WriterSummary reportWriters(const std::string &when);
    void writers();
    void snapshot();
    void restore();

    const Options &m_options;
    const std::vector<std::string> &m_argv;
    EventStream &m_events;
    WriterReporter m_writers;
    ComPtr<IVssBackupComponents> m_backup;
    bool m_backupStarted = false; // InitializeForBackup succeeded: abort on failure
    WriterSummary m_lastSummary;
};

void Session::startEvent() {
    StartInfo info;
    const bool snapshot = m_options.command == Options::Command::Snapshot;
    info.kind = !snapshot ? "other" : (m_options.restore ? "restore" : "snapshot");
    info.tool = "vss";
    wchar_t name[256];
    DWORD size = 256;
    if (GetComputerNameExW(ComputerNameDnsHostname, name, &size))
        info.host = fromWide(name);
    size = 256;
    if (GetUserNameW(name, &size))
        info.user = fromWide(name);
    std::string volumes;
    for (const std::string &v : m_options.volumes)
        volumes += (volumes.empty() ? "" : " ") + v;
    if (!snapshot)
        info.title = "VSS writer status";
    else if (m_options.restore)
        info.title = "VSS restore from " + m_options.document;
    else
        info.title = "VSS shadow copy of " + volumes;
    info.target = m_options.restore ? m_options.document : volumes;
    info.command = m_argv;
    info.pid = std::int64_t(GetCurrentProcessId());
    m_events.start(info);
}

void Session::step(const char *name, double percent) {
    ProgressInfo p;
    p.percent = percent;
    p.current = name;
    m_events.progress(p);
}

void Session::readSessionId() {
    // GetSessionId is on IVssBackupComponentsEx3 (Windows 8 / Server 2012
    // and later); older systems get a GUID of ours, and say so.
    ComPtr<IVssBackupComponentsEx3> ex3;
    HRESULT hr =
        m_backup->QueryInterface(IID_IVssBackupComponentsEx3, reinterpret_cast<void **>(ex3.out()));
    if (SUCCEEDED(hr)) {
        VSS_ID id = GUID_NULL;
        hr = ex3->GetSessionId(&id);
        if (SUCCEEDED(hr) && !isNullGuid(toGuid(id))) {
            m_events.setSessionId(formatGuid(toGuid(id)));
            m_events.log("info", "VSS session ID " + m_events.sessionId()
                                     + " (IVssBackupComponentsEx3::GetSessionId)");
            return;
        }
    }
    GUID own = GUID_NULL;
    if (SUCCEEDED(CoCreateGuid(&own)))
        m_events.setSessionId(formatGuid(toGuid(own)));
    m_events.log("warning", "no VSS session ID (IVssBackupComponentsEx3::GetSessionId: "
                                + describeHresult(std::uint32_t(hr))
                                + "); this session uses an ID of its own");
}

std::vector<WriterStatus> Session::gatherWriterStatus() {
    IVssAsync *async = nullptr;
    check(m_backup->GatherWriterStatus(&async), "GatherWriterStatus");
    waitFor(async, "GatherWriterStatus");
    UINT count = 0;
    std::vector<WriterStatus> out;
    HRESULT hr = m_backup->GetWriterStatusCount(&count);
    for (UINT i = 0; SUCCEEDED(hr) && i < count; ++i) {
        VSS_ID instance = GUID_NULL, writer = GUID_NULL;
        BSTR name = nullptr;
        VSS_WRITER_STATE state = VSS_WS_UNKNOWN;
        HRESULT failure = S_OK;
        hr = m_backup->GetWriterStatus(i, &instance, &writer, &name, &state, &failure);
        if (SUCCEEDED(hr)) {
            WriterStatus w;
            w.name = fromWide(name);
            w.writerId = toGuid(writer);
            w.instanceId = toGuid(instance);
            w.state = int(state);
            w.failure = std::uint32_t(failure);
            out.push_back(std::move(w));
        }
        SysFreeString(name);
    }
    // Freed on every path, also when a GetWriterStatus call failed.
    m_backup->FreeWriterStatus();
    check(hr, "GetWriterStatus");
    return out;
}

WriterSummary Session::reportWriters(const std::string &when) {
    m_lastSummary = m_writers.report(gatherWriterStatus(), when);
    return m_lastSummary;
}

void Session::writers() {
    step("InitializeForBackup", 10);
    check(m_backup->InitializeForBackup(nullptr), "InitializeForBackup");
    m_backupStarted = true;
    readSessionId();
    m_events.state("running");
    check(m_backup->SetContext(VSS_CTX_BACKUP), "SetContext");
    // GetWriterStatus knows only the writers whose metadata was gathered.
    step("GatherWriterMetadata", 30);
    IVssAsync *async = nullptr;
    check(m_backup->GatherWriterMetadata(&async), "GatherWriterMetadata");
    waitFor(async, "GatherWriterMetadata");
    step("GatherWriterStatus", 60);
    reportWriters({});
    m_backup->FreeWriterMetadata();
}

void Session::snapshot() {
    step("InitializeForBackup", 2);
    check(m_backup->InitializeForBackup(nullptr), "InitializeForBackup");
    m_backupStarted = true;
    readSessionId();
    m_events.state("running");
    check(m_backup->SetContext(VSS_CTX_BACKUP), "SetContext");
    // A copy backup without component selection: every writer takes part
    // and none treats it as its full backup (no log truncation), so
    // watching with Keepwatch never changes another tool's backup history.
    check(m_backup->SetBackupState(false, false, VSS_BT_COPY, false), "SetBackupState");

    step("GatherWriterMetadata", 10);
    IVssAsync *async = nullptr;
    check(m_backup->GatherWriterMetadata(&async), "GatherWriterMetadata");
    waitFor(async, "GatherWriterMetadata");
    UINT metadataCount = 0;
    if (SUCCEEDED(m_backup->GetWriterMetadataCount(&metadataCount)))
        m_events.log("info", "GatherWriterMetadata: " + std::to_string(metadataCount) + " writers");
    reportWriters("after GatherWriterMetadata");

    step("StartSnapshotSet", 25);
    VSS_ID setId = GUID_NULL;
    check(m_backup->StartSnapshotSet(&setId), "StartSnapshotSet");
    m_events.log("info", "shadow copy set " + formatGuid(toGuid(setId)));
    std::vector<VSS_ID> snapshots;
    for (const std::string &volume : m_options.volumes) {
        std::wstring wide = toWide(volume);
        VSS_ID snapshotId = GUID_NULL;
        const HRESULT hr = m_backup->AddToSnapshotSet(wide.data(), GUID_NULL, &snapshotId);
        if (FAILED(hr))
            throw VssFailure{"AddToSnapshotSet(" + volume + ")", hr};
        snapshots.push_back(snapshotId);
        m_events.log("info",
                     "volume " + volume + ": shadow copy " + formatGuid(toGuid(snapshotId)));
    }

    step("PrepareForBackup", 40);
    check(m_backup->PrepareForBackup(&async), "PrepareForBackup");
    waitFor(async, "PrepareForBackup");
    reportWriters("after PrepareForBackup");

    step("DoSnapshotSet", 60);
    check(m_backup->DoSnapshotSet(&async), "DoSnapshotSet");
    waitFor(async, "DoSnapshotSet");
    reportWriters("after DoSnapshotSet");
    for (const VSS_ID &id : snapshots) {
        VSS_SNAPSHOT_PROP prop;
        if (SUCCEEDED(m_backup->GetSnapshotProperties(id, &prop))) {
            m_events.log("info", "shadow copy " + formatGuid(toGuid(id)) + " of "
                                     + fromWide(prop.m_pwszOriginalVolumeName) + " is "
                                     + fromWide(prop.m_pwszSnapshotDeviceObject));
            VssFreeSnapshotProperties(&prop);
        }
    }

    if (!m_options.document.empty()) {
        BSTR xml = nullptr;
        check(m_backup->SaveAsXML(&xml), "SaveAsXML");
        std::ofstream file(m_options.document, std::ios::binary | std::ios::trunc);
        file << fromWide(xml);
        SysFreeString(xml);
        if (!file.flush())
            throw VssFailure{"writing " + m_options.document, E_FAIL};
        m_events.log("info", "backup components document saved to " + m_options.document);
    }

    // Keepwatch copies no files: the shadow copies exist for the time of the
    // session and go when the backup components are released.
    step("BackupComplete", 85);
    check(m_backup->BackupComplete(&async), "BackupComplete");
    waitFor(async, "BackupComplete");
    m_backupStarted = false;
    reportWriters("after BackupComplete");
    step("done", 100);
    m_backup->FreeWriterMetadata();
}

void Session::restore() {
    std::ifstream file(m_options.document, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (!file)
        throw VssFailure{"reading " + m_options.document, HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)};
    std::wstring xml = toWide(text.str());
    BSTR document = SysAllocStringLen(xml.data(), UINT(xml.size()));
    step("InitializeForRestore", 5);
    const HRESULT hr = m_backup->InitializeForRestore(document);
    SysFreeString(document);
    check(hr, "InitializeForRestore");
    readSessionId();
    m_events.state("running");

    step("GatherWriterMetadata", 20);
    IVssAsync *async = nullptr;
    check(m_backup->GatherWriterMetadata(&async), "GatherWriterMetadata");
    waitFor(async, "GatherWriterMetadata");
    reportWriters("after GatherWriterMetadata");

    // The files themselves are restored by the backup tool between
    // PreRestore and PostRestore; this session tells the writers.
    step("PreRestore", 40);
    check(m_backup->PreRestore(&async), "PreRestore");
    waitFor(async, "PreRestore");
    reportWriters("after PreRestore");

    step("PostRestore", 80);
    check(m_backup->PostRestore(&async), "PostRestore");
    waitFor(async, "PostRestore");
    reportWriters("after PostRestore");
    step("done", 100);
    m_backup->FreeWriterMetadata();
}

int Session::run() {
    startEvent();
    try {
        step("CoInitializeEx", 0);
        check(CoInitializeEx(nullptr, COINIT_MULTITHREADED), "CoInitializeEx");
        // Writers call back into the requester: it must accept their calls
        // (the settings of Microsoft's VShadow sample).
        const HRESULT security =
            CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                                 RPC_C_IMP_LEVEL_IDENTIFY, nullptr, EOAC_DYNAMIC_CLOAKING, nullptr);
        if (FAILED(security))
            m_events.log("warning",
                         "CoInitializeSecurity: " + describeHresult(std::uint32_t(security)));
        step("CreateVssBackupComponents", 1);
        check(CreateVssBackupComponents(m_backup.out()), "CreateVssBackupComponents");

        if (m_options.command == Options::Command::Writers)
            writers();
        else if (m_options.restore)
            restore();
        else
            snapshot();
    } catch (const VssFailure &failure) {
        const std::string what =
            failure.call + " failed: " + describeHresult(std::uint32_t(failure.hr));
        if (!m_events.hasSessionId()) {
            GUID own = GUID_NULL;
            CoCreateGuid(&own);
            m_events.setSessionId(formatGuid(toGuid(own)));
        }
        m_events.log("error", what);
        if (m_backup && m_backupStarted) {
            const HRESULT aborted = m_backup->AbortBackup();
            m_events.log(SUCCEEDED(aborted) ? "info" : "warning",
                         "AbortBackup: " + describeHresult(std::uint32_t(aborted)));
        }
        m_backup.reset();
        CoUninitialize();
        m_events.end("failed", 1, what);
        return 1;
    }
    m_backup.reset();
    CoUninitialize();
    const bool writerFailed = m_lastSummary.failed > 0;
    m_events.end(writerFailed ? "warning" : "succeeded", 0, m_lastSummary.text);
    return 0;
}

} // namespace

int runRequester(const Options &options, const std::vector<std::string> &argv,
                 EventStream &events) {
    Session session(options, argv, events);
    return session.run();
}

} // namespace kw::vss
