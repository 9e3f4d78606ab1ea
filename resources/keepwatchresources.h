// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

namespace kw::resources {

// Registers the compiled-in icons. Resources in a static library are not
// registered by themselves: the linker drops an object file nothing refers
// to, and its static initializer with it. Calling this refers to it.
// Idempotent and cheap; call it before the first ":/keepwatch/..." lookup.
void init();

} // namespace kw::resources
