// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "keepwatchresources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE declares its symbol in the enclosing namespace, and the
// symbol rcc generates lives in the global one: call it from here.
static void initKeepwatchIcons() {
    Q_INIT_RESOURCE(keepwatch_icons);
}

namespace kw::resources {

void init() {
    // qRegisterResourceData ignores a second registration, but there is no
    // reason to ask twice.
    static const bool done = [] {
        initKeepwatchIcons();
        return true;
    }();
    Q_UNUSED(done);
}

} // namespace kw::resources
