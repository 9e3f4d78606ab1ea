// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/generic/genericprofile.h"

namespace kw {

const GenericProfile &GenericProfile::instance() {
    static const GenericProfile profile;
    return profile;
}

} // namespace kw
