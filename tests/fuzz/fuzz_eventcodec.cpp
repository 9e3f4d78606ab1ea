// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

// The protocol codec on arbitrary lines: the decoder never crashes, what it
// accepts has a valid session ID and a time the encoder can write, and
// encoding a decoded event then decoding it again is the identity.

#include "fuzzsupport.h"
#include "protocol/eventcodec.h"
#include "protocol/sessionid.h"

using namespace kw;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    EventDecoder decoder; // one per reader, as the spool tailer keeps it
    const QByteArrayView input(reinterpret_cast<const char *>(bytes), qsizetype(size));
    // A file holds many lines; each is decoded on its own, with the parser's
    // buffers and the session-ID cache reused as in a real reader.
    for (QByteArrayView line : QByteArray::fromRawData(input.data(), input.size()).split('\n')) {
        Event event;
        const DecodeResult result = decoder.decode(line, event);
        KW_FUZZ_CHECK(!(result.ok && result.blank), line.toByteArray());
        if (!result.ok) {
            KW_FUZZ_CHECK(result.blank || !result.error.isEmpty(),
                          "rejected without a reason: " + line.toByteArray());
            continue;
        }
        KW_FUZZ_CHECK(SessionId::isValid(event.session),
                      "accepted an invalid session ID: " + event.session.toUtf8());
        fuzz::checkRoundTrip(event);
    }
    return 0;
}
