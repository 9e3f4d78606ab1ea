// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <cstdint>
#include <string>

namespace kw::vss {

// VSS_WRITER_STATE and HRESULT values in words. The values are the ones of
// the Windows headers (vss.h, vsserror.h, winerror.h), repeated here so
// that the naming is plain C++ and tested on Linux; a static_assert in the
// Windows build checks that they still match.

enum class WriterHealth { Stable, Busy, Failed, Unknown };

// "VSS_WS_FAILED_AT_FREEZE"; "VSS_WS_<N>" for a value Windows may add later.
std::string writerStateName(int state);
// "failed at freeze": what a person reads in a log line.
std::string writerStateWords(int state);
// Stable: ready; Busy: inside a backup (waiting for freeze, thaw, ...);
// Failed: vetoed or failed at some step; Unknown: VSS_WS_UNKNOWN or a
// value we do not know.
WriterHealth writerHealth(int state);

// "VSS_E_WRITERERROR_TIMEOUT", "E_NOTIMPL", "S_OK"; "HRESULT 0x8004dead"
// for one we do not know.
std::string hresultName(std::uint32_t hr);
// What it means in a few words, empty when we do not know.
std::string hresultWords(std::uint32_t hr);
// "E_NOTIMPL (0x80004001): not implemented": name, code and words, the form
// every log line and summary uses.
std::string describeHresult(std::uint32_t hr);

inline bool hresultFailed(std::uint32_t hr) {
    return (hr & 0x80000000u) != 0;
}

} // namespace kw::vss
