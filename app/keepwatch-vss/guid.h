// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kw::vss {

// The layout of a Windows GUID (VSS_ID), without <windows.h>, so that the
// formatting is compiled and tested on Linux too.
struct Guid {
    std::uint32_t data1 = 0;
    std::uint16_t data2 = 0;
    std::uint16_t data3 = 0;
    std::uint8_t data4[8] = {};
};

// "{e8132975-6f93-4464-a53e-1050253ae220}": lower case in braces, the way
// vssadmin prints writer and shadow copy IDs, so the same writer has the
// same text in Keepwatch and in vssadmin's output.
std::string formatGuid(const Guid &guid);
bool isNullGuid(const Guid &guid);

// The protocol's session-ID rule (docs/event-protocol.md section 4): 1..128
// characters from A-Z a-z 0-9 . _ - : @ + = { }, not starting with '.' or
// '-', without "..". Empty when valid, otherwise the reason.
std::string sessionIdError(std::string_view id);

} // namespace kw::vss
