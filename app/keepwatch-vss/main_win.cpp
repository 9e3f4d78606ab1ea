// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// keepwatch-vss: a VSS requester that speaks Keepwatch's event protocol on
// stdout, so the rest of Keepwatch needs nothing Windows-specific.

#include "eventstream.h"
#include "options.h"
#include "vssrequester.h"

#include <cstdio>
#include <cwchar>
#include <fcntl.h>
#include <io.h>
#include <string>
#include <vector>

int wmain(int argc, wchar_t **argv) {
    using namespace kw::vss;
    std::vector<std::string> args;
    std::vector<std::string> all;
    for (int i = 0; i < argc; ++i) {
        std::string arg = utf16ToUtf8(
            std::u16string_view(reinterpret_cast<const char16_t *>(argv[i]), std::wcslen(argv[i])));
        if (i > 0)
            args.push_back(arg);
        all.push_back(std::move(arg));
    }
    const Options options = Options::parse(args);
    if (options.command == Options::Command::Help) {
        std::fputs(Options::usage().c_str(), stdout);
        return 0;
    }
    if (!options.error.empty()) {
        std::fprintf(stderr, "keepwatch-vss: %s\n\n%s", options.error.c_str(),
                     Options::usage().c_str());
        return 2;
    }
    // The protocol is '\n'-ended lines: no "\r\n" translation.
    _setmode(_fileno(stdout), _O_BINARY);
    EventStream events([](const std::string &line) {
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout); // one line at a time: a reader sees each step as it happens
    });
    return runRequester(options, all, events);
}
