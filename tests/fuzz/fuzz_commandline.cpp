// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// CommandLineInfo::inspect on arbitrary argv (NUL-separated words, as in
// /proc/PID/cmdline), with a URL password planted among them: what it says
// about the command is consistent, and the password never shows, neither in
// the target nor (as /proc discovery inspects the redacted argv) anywhere.

#include "fuzzsupport.h"
#include "tools/commandline.h"
#include "tools/commandredactor.h"

using namespace kw;

namespace {

const QString kCanary = QStringLiteral("kwCanaryPw7");

void checkNoCanary(const CommandLineInfo &info, const QStringList &argv, bool everywhere) {
    const QByteArray where = "argv: " + argv.join(QLatin1Char('|')).toUtf8();
    KW_FUZZ_CHECK(!info.target.contains(kCanary), "target " + info.target.toUtf8() + "; " + where);
    if (everywhere) {
        KW_FUZZ_CHECK(!info.tool.contains(kCanary), "tool " + info.tool.toUtf8() + "; " + where);
        KW_FUZZ_CHECK(!info.subcommand.contains(kCanary),
                      "subcommand " + info.subcommand.toUtf8() + "; " + where);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    const fuzz::Steered in = fuzz::steer(bytes, size);
    QStringList argv = fuzz::splitArgv(in.data);
    // The harness's own secret: only when the fuzzer did not write it too.
    const bool planted = (in.config & 1) && !in.data.contains(kCanary.toUtf8());
    if (planted) {
        static const QStringList forms = {
            QStringLiteral("https://backup:%1@nas.example/repo"),
            QStringLiteral("rest:https://backup:%1@nas.example:8000/"),
            QStringLiteral("sftp://u:%1@host"), QStringLiteral("s3://AKIA:%1@s3.example/bucket")};
        const QString secret = forms.at((in.config >> 1) % forms.size()).arg(kCanary);
        argv.insert(qMin<qsizetype>((in.config >> 3), argv.size()), secret);
    }

    const CommandLineInfo info = CommandLineInfo::inspect(argv);
    KW_FUZZ_CHECK(info.knownTool == CommandLineInfo::knownTools().contains(info.tool),
                  info.tool.toUtf8());
    KW_FUZZ_CHECK(info.target == CommandRedactor::redactUrlCredentials(info.target),
                  "credentials left in the target: " + info.target.toUtf8());

    // The effective command is what is left once launchers are dropped: a
    // suffix of argv, never made up.
    const QStringList effective = CommandLineInfo::effectiveCommand(argv);
    KW_FUZZ_CHECK(effective.size() <= argv.size()
                      && argv.mid(argv.size() - effective.size()) == effective,
                  effective.join(QLatin1Char('|')).toUtf8());
    KW_FUZZ_CHECK(CommandLineInfo::programName(argv) == info.tool, info.tool.toUtf8());

    if (planted) {
        checkNoCanary(info, argv, false);
        const QStringList redacted = CommandRedactor::redact(argv);
        checkNoCanary(CommandLineInfo::inspect(redacted), redacted, true);
    }
    return 0;
}
