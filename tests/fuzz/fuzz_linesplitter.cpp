// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The line splitter on arbitrary bytes in arbitrary chunkings: lines are
// bounded, hold no control characters, and do not depend on the chunking.

#include "adapters/linesplitter.h"
#include "fuzzsupport.h"

using namespace kw;

namespace {

QByteArrayList split(QByteArrayView data, qsizetype maxBytes, LineSplitter::CarriageReturn cr,
                     fuzz::Random *random) {
    LineSplitter splitter(maxBytes, cr);
    QByteArrayList lines;
    const auto onLine = [&lines, maxBytes](QByteArrayView line) {
        KW_FUZZ_CHECK(line.size() <= maxBytes, "line of " + QByteArray::number(line.size())
                                                   + " bytes, at most "
                                                   + QByteArray::number(maxBytes));
        KW_FUZZ_CHECK(!line.trimmed().isEmpty(), "an empty line was delivered");
        for (char c : line) {
            const auto u = static_cast<unsigned char>(c);
            KW_FUZZ_CHECK((u >= 0x20 || u == '\t') && u != 0x7f,
                          "control character " + QByteArray::number(u) + " in "
                              + line.toByteArray().toHex());
        }
        lines.append(line.toByteArray());
    };
    if (random) {
        for (QByteArrayView piece : fuzz::chunk(data, *random, 32))
            splitter.feed(piece, onLine);
    } else {
        splitter.feed(data, onLine);
    }
    splitter.finish(onLine);
    return lines;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    const fuzz::Steered in = fuzz::steer(bytes, size);
    // Small limits reach the "line without end, delivered in pieces" path.
    const qsizetype maxBytes = 1 + (in.config & 0x3f) * 8;
    const auto cr = (in.config & 0x80) ? LineSplitter::CarriageReturn::EndsRecord
                                       : LineSplitter::CarriageReturn::Redraws;
    fuzz::Random random(in.config * 2246822519u + quint32(in.data.size()));
    const QByteArrayList whole = split(in.data, maxBytes, cr, nullptr);
    const QByteArrayList pieces = split(in.data, maxBytes, cr, &random);
    KW_FUZZ_CHECK(whole == pieces,
                  "lines depend on the chunking: " + whole.join('|') + " vs " + pieces.join('|'));
    // Stripping is idempotent: a delivered line has nothing left to strip.
    for (const QByteArray &line : whole)
        KW_FUZZ_CHECK(LineSplitter::stripControls(line) == line, line.toHex());
    return 0;
}
