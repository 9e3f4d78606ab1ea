// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// SessionId validation on arbitrary strings: a valid ID is a safe file name
// in the spool (never a path, never hidden, bounded), and quoting an
// untrusted ID for a message never lets a control character through.

#include "fuzzsupport.h"
#include "protocol/sessionid.h"

#include <QDir>

using namespace kw;

namespace {

void check(const QString &id) {
    const QString why = SessionId::validationError(id);
    KW_FUZZ_CHECK(SessionId::isValid(id) == why.isEmpty(), why.toUtf8());
    if (why.isEmpty()) {
        KW_FUZZ_CHECK(id.size() >= 1 && id.size() <= SessionId::kMaxLength, id.toUtf8());
        KW_FUZZ_CHECK(!id.startsWith(QLatin1Char('.')) && !id.startsWith(QLatin1Char('-')),
                      id.toUtf8());
        KW_FUZZ_CHECK(!id.contains(QLatin1String("..")), id.toUtf8());
        for (QChar c : id)
            KW_FUZZ_CHECK(c.unicode() > 0x20 && c.unicode() < 0x7f && c != u'/' && c != u'\\',
                          id.toUtf8().toHex());
        // The spool file it becomes stays in the spool directory.
        const QString spool = QStringLiteral("/spool");
        const QString file =
            QDir::cleanPath(spool + QLatin1Char('/') + id + QStringLiteral(".jsonl"));
        KW_FUZZ_CHECK(QFileInfo(file).path() == spool, file.toUtf8());
    } else {
        KW_FUZZ_CHECK(!why.contains(QLatin1Char('\n')) && !why.contains(QChar(0)),
                      "the error quotes raw control characters: " + why.toUtf8().toHex());
    }
    const QString quoted = SessionId::quoted(id);
    for (QChar c : quoted)
        KW_FUZZ_CHECK(c.unicode() >= 0x20 && c.unicode() != 0x7f, quoted.toUtf8().toHex());
    KW_FUZZ_CHECK(quoted.size() <= 64 * 4 + 40,
                  "quoted too long: " + QByteArray::number(quoted.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    const QByteArrayView data(reinterpret_cast<const char *>(bytes), qsizetype(size));
    check(QString::fromUtf8(data));
    check(QString::fromLatin1(data));
    // As UTF-16 too, from an aligned copy (the fuzzer's buffer may be odd).
    const QByteArray copy = data.toByteArray();
    check(
        QString::fromUtf16(reinterpret_cast<const char16_t *>(copy.constData()), copy.size() / 2));
    return 0;
}
