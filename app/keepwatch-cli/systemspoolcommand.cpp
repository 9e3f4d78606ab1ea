// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "spool/systemspoolsetup.h"

namespace kw::cli {

int systemSpoolCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    if (const auto done = cl.parse(args))
        return *done;
    const QStringList words = cl.positional();
    SystemSpoolSetup::Result result;
    if (words.value(0) == QLatin1String("init") && words.size() == 1)
        result = SystemSpoolSetup::init();
    else if (words.value(0) == QLatin1String("grant") && words.size() == 2)
        result = SystemSpoolSetup::grant(words[1]);
    else
        return cl.usage(words.isEmpty() ? QStringLiteral("init or grant USER?")
                                        : QStringLiteral("unexpected %1 (init, or grant USER)")
                                              .arg(words.join(QLatin1Char(' '))));
    QByteArray text;
    for (const QString &line : std::as_const(result.done))
        text += line.toLocal8Bit() + '\n';
    out(text);
    if (!result.error.isEmpty())
        return fail(Failure, QStringLiteral("system-spool: ") + result.error);
    return Ok;
}

} // namespace kw::cli
