// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// CommandRedactor on arbitrary argv with a known secret planted in every
// form it documents (--password=X, --password X, user:X@ in a URL,
// NAME_PASSWORD=X): the secret never survives, and the argv keeps its shape.

#include "fuzzsupport.h"
#include "tools/commandredactor.h"

#include <QPair>
#include <utility>

using namespace kw;

namespace {

const QString kCanary = QStringLiteral("kwCanarySecret9");

struct Plant {
    qsizetype at;  // index of the planted word in argv
    bool twoWords; // "--option SECRET": the secret is at `at + 1`
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    const fuzz::Steered in = fuzz::steer(bytes, size);
    QStringList argv = fuzz::splitArgv(in.data);
    const bool plant = !in.data.contains(kCanary.toUtf8());

    static const QStringList options = {
        QStringLiteral("--password"),   QStringLiteral("--passphrase"),
        QStringLiteral("--secret"),     QStringLiteral("--token"),
        QStringLiteral("--api-key"),    QStringLiteral("--auth"),
        QStringLiteral("--key"),        QStringLiteral("-Password"),
        QStringLiteral("--pass"),       QStringLiteral("--access-key-id"),
        QStringLiteral("--credentials")};
    static const QStringList variables = {
        QStringLiteral("RESTIC_PASSWORD"), QStringLiteral("BORG_PASSPHRASE"),
        QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("B2_ACCOUNT_KEY"),
        QStringLiteral("my_token")};
    // Each plant goes before a word of the fuzzer's argv (or at its end); the
    // argv is then rebuilt so that no plant splits another.
    QList<QPair<qsizetype, QStringList>> planted;
    fuzz::Random random(in.config * 40503u + quint32(in.data.size()));
    const int count = plant ? 1 + (in.config & 3) : 0;
    for (int i = 0; i < count; ++i) {
        const qsizetype before = random.below(quint32(argv.size() + 1));
        const QString &option = options.at(random.below(quint32(options.size())));
        switch (random.below(4)) {
        case 0:
            planted.append({before, {option + QLatin1Char('=') + kCanary}});
            break;
        case 1:
            planted.append({before, {option, kCanary}});
            break;
        case 2:
            planted.append(
                {before,
                 {QStringLiteral("rest:https://backup:%1@nas.example:8000/r").arg(kCanary)}});
            break;
        default:
            planted.append({before,
                            {variables.at(random.below(quint32(variables.size())))
                             + QLatin1Char('=') + kCanary}});
            break;
        }
    }
    QList<Plant> plants;
    QStringList words;
    for (qsizetype i = 0; i <= argv.size(); ++i) {
        for (const auto &[before, plantWords] : std::as_const(planted)) {
            if (before != i)
                continue;
            plants.append({words.size(), plantWords.size() == 2});
            words += plantWords;
        }
        if (i < argv.size())
            words.append(argv[i]);
    }
    argv = words;

    const QStringList out = CommandRedactor::redact(argv);
    KW_FUZZ_CHECK(out.size() == argv.size(), "argv changed its length");
    KW_FUZZ_CHECK(CommandRedactor::redact(out) == out, "redacting twice changes more");
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (!out[i].contains(kCanary))
            continue;
        // "--token --password SECRET": --token's value is the word
        // "--password" (masked), and SECRET is then an ordinary argument, as
        // getopt reads it. The only acceptable way for the secret to show.
        bool explained = false;
        for (const Plant &p : plants) {
            if (p.twoWords && p.at + 1 == i && out[p.at] == QLatin1String(CommandRedactor::kMask))
                explained = true;
        }
        KW_FUZZ_CHECK(explained, "secret left in word " + QByteArray::number(i) + ": "
                                     + out[i].toUtf8()
                                     + "\n  argv: " + argv.join(QLatin1Char('|')).toUtf8());
    }
    return 0;
}
