// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

namespace kw {

// False when the environment variable `name` says 0, off, no or false (in any
// case, spaces around ignored): how KEEPWATCH_DISCOVERY, KEEPWATCH_SYSTEMD and
// KEEPWATCH_VSS leave a source out. Unset or anything else: on.
bool enabledByEnvironment(const char *name);

} // namespace kw
