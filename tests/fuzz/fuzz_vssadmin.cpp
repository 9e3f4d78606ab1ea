// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The vssadmin parser on arbitrary text (UTF-8 or, as Windows pipes it,
// UTF-16): never crashes, and what it reports is well formed.

#include "fuzzsupport.h"
#include "vss/vssadminparser.h"

#include <QRegularExpression>

using namespace kw;

namespace {

void checkGuid(const QString &id) {
    static const QRegularExpression guid(
        QStringLiteral("^\\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\}$"));
    KW_FUZZ_CHECK(id.isEmpty() || guid.match(id).hasMatch(), "not a GUID: " + id.toUtf8());
}

void checkLine(qsizetype line, qsizetype lines) {
    KW_FUZZ_CHECK(line >= 1 && line <= lines,
                  "line " + QByteArray::number(line) + " of " + QByteArray::number(lines));
}

void checkErrors(const QStringList &errors) {
    for (const QString &e : errors)
        KW_FUZZ_CHECK(e.startsWith(QLatin1String("line ")), e.toUtf8());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    const fuzz::Steered in = fuzz::steer(bytes, size);
    const QByteArray copy = in.data.toByteArray(); // aligned for UTF-16
    const QString text = (in.config & 1) ? QString::fromUtf16(
                             reinterpret_cast<const char16_t *>(copy.constData()), copy.size() / 2)
                                         : QString::fromUtf8(copy);
    const qsizetype lines = text.count(u'\n') + 1;

    const auto writers = VssAdminParser::parseWriters(text);
    for (const VssAdminWriter &w : writers.items) {
        checkGuid(w.writerId);
        checkGuid(w.instanceId);
        checkLine(w.line, lines);
    }
    checkErrors(writers.errors);

    const auto shadows = VssAdminParser::parseShadows(text);
    for (const VssAdminShadow &s : shadows.items) {
        checkGuid(s.setId);
        checkGuid(s.shadowId);
        checkLine(s.line, lines);
    }
    checkErrors(shadows.errors);

    if (const auto guid = VssAdminParser::findGuid(text))
        checkGuid(*guid);
    return 0;
}
