// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "tools/exitcodes.h"

#include "tools/toolregistry.h"

namespace kw {

QString ExitCodes::documented(const QString &tool, int code) {
    return ToolRegistry::forTool(tool).documented(code);
}

QString ExitCodes::meaning(const QString &tool, std::optional<int> exitCode,
                           std::optional<int> signal) {
    return ToolRegistry::forTool(tool).meaning(exitCode, signal);
}

} // namespace kw
