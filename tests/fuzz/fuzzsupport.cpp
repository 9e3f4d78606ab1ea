// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fuzzsupport.h"

#include "protocol/eventcodec.h"
#include "tools/toolregistry.h"

#include <cstdio>
#include <cstdlib>

namespace kw::fuzz {

void fail(const char *file, int line, const char *condition, const QByteArray &detail) {
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n  %s\n", file, line, condition,
                 detail.constData());
    std::fflush(stderr);
    std::abort();
}

quint32 Random::next() {
    m_state ^= m_state << 13;
    m_state ^= m_state >> 17;
    m_state ^= m_state << 5;
    return m_state;
}

Steered steer(const uint8_t *bytes, size_t size) {
    Steered s;
    if (size == 0)
        return s;
    s.config = bytes[0];
    s.data = QByteArrayView(reinterpret_cast<const char *>(bytes) + 1, qsizetype(size - 1));
    return s;
}

QList<QByteArrayView> chunk(QByteArrayView data, Random &random, quint32 maxChunk) {
    QList<QByteArrayView> pieces;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype n = qMin<qsizetype>(1 + random.below(maxChunk), data.size() - pos);
        pieces.append(data.sliced(pos, n));
        pos += n;
    }
    return pieces;
}

QStringList splitArgv(QByteArrayView data, qsizetype maxWords) {
    QStringList words;
    qsizetype pos = 0;
    while (pos <= data.size() && words.size() < maxWords) {
        qsizetype end = data.indexOf('\0', pos);
        if (end < 0)
            end = data.size();
        words.append(QString::fromUtf8(data.sliced(pos, end - pos)));
        pos = end + 1;
    }
    return words;
}

QByteArray checkRoundTrip(const Event &event) {
    const QByteArray line = EventEncoder::encode(event);
    KW_FUZZ_CHECK(line.endsWith('\n') && line.count('\n') == 1,
                  QByteArray("an encoded event is not one line: ") + line);
    const QByteArrayView body = QByteArrayView(line).chopped(1);

    EventDecoder decoder;
    Event decoded;
    const DecodeResult result = decoder.decode(body, decoded);
    KW_FUZZ_CHECK(result.ok, "the decoder rejects what the encoder wrote: " + line + "  -> "
                                 + result.error.toUtf8());
    KW_FUZZ_CHECK(decoded.session == event.session, line);
    KW_FUZZ_CHECK(decoded.type() == event.type(), line);
    KW_FUZZ_CHECK(decoded.timestampMs == event.timestampMs,
                  line + " -> " + QByteArray::number(decoded.timestampMs));
    if (const LogPayload *log = event.as<LogPayload>();
        log && log->message.size() > Protocol::kMaxMessageBytes) {
        return line; // cut on purpose (with a note): encoding it again cuts again
    }
    const QByteArray again = EventEncoder::encode(decoded);
    KW_FUZZ_CHECK(again == line, "encode(decode(line)) != line:\n  " + line + "  " + again);
    return line;
}

void RecordingSink::record(Event event) {
    event.session = QStringLiteral("fuzz-session");
    event.timestampMs = 1764060000000; // 2025-11-25: any valid time
    m_records.append(checkRoundTrip(event));
}

void RecordingSink::log(LogLevel level, QByteArrayView message, OutputStream stream) {
    KW_FUZZ_CHECK(message.size() <= Protocol::kMaxMessageBytes,
                  "a log line longer than a spool line holds: "
                      + QByteArray::number(message.size()));
    record(Event{{},
                 {},
                 0,
                 LogPayload{level, message.toByteArray(),
                            stream == OutputStream::Stdout ? QStringLiteral("stdout")
                                                           : QStringLiteral("stderr")}});
}

void RecordingSink::progress(const ProgressPayload &progress) {
    record(Event{{}, {}, 0, progress});
}

void RecordingSink::state(SessionState state, const QString &reason) {
    KW_FUZZ_CHECK(!isTerminal(state), QByteArray("an adapter ended the session itself: ")
                                          + QByteArray(wireName(state).data()));
    record(Event{{}, {}, 0, StatePayload{state, reason}});
}

namespace {

// One stream's share of the output, as the wrapper reads it from a pipe.
struct Segment {
    OutputStream stream;
    QByteArrayView bytes;
};

QByteArrayList run(const QString &tool, const QStringList &command, const QList<Segment> &segments,
                   Random *rechunk) {
    const std::unique_ptr<OutputAdapter> adapter = AdapterRegistry::create(tool, command);
    KW_FUZZ_CHECK(adapter->name() == tool, adapter->name().toUtf8());
    RecordingSink sink;
    adapter->start(sink);
    for (const Segment &s : segments) {
        if (!rechunk) {
            adapter->feed(s.stream, s.bytes, sink);
            continue;
        }
        for (QByteArrayView piece : chunk(s.bytes, *rechunk, 64))
            adapter->feed(s.stream, piece, sink);
    }
    adapter->finish(sink);

    // Whatever the output was, every way the command can end gives a final state.
    // (With the signal the output reported, as the wrapper passes it.)
    const std::optional<int> reported = adapter->reportedStopSignal();
    const ExitStatus statuses[] = {
        {0, std::nullopt, false, reported},  {1, std::nullopt, false, reported},
        {2, std::nullopt, false, reported},  {3, std::nullopt, false, reported},
        {23, std::nullopt, false, reported}, {24, std::nullopt, false, reported},
        {130, std::nullopt, true, reported}, {std::nullopt, 2, true, reported},
        {std::nullopt, 9, false, reported},  {-1, std::nullopt, false, reported}};
    for (const ExitStatus &status : statuses) {
        const Outcome outcome = ToolRegistry::forCommand(tool, command).outcome(status);
        KW_FUZZ_CHECK(isTerminal(outcome.state), QByteArray("not a final state: ")
                                                     + QByteArray(wireName(outcome.state).data()));
        Event end{QStringLiteral("fuzz-session"),
                  {},
                  1764060000000,
                  EndPayload{outcome.state, status.exitCode, status.signal, outcome.summary}};
        checkRoundTrip(end);
    }
    return sink.records();
}

} // namespace

void fuzzAdapter(const QString &tool, const QList<QStringList> &commandVariants,
                 const uint8_t *bytes, size_t size) {
    const Steered in = steer(bytes, size);
    const QStringList &command = commandVariants.at(in.config % commandVariants.size());
    Random random(in.config * 2654435761u + quint32(in.data.size()));

    // Bits 2-3: everything on stdout, everything on stderr, or both interleaved.
    QList<Segment> segments;
    const int streams = (in.config >> 2) & 3;
    if (streams == 0 || streams == 3) {
        segments.append({OutputStream::Stdout, in.data});
    } else if (streams == 1) {
        segments.append({OutputStream::Stderr, in.data});
    } else {
        for (QByteArrayView piece : chunk(in.data, random, 256))
            segments.append({random.below(2) ? OutputStream::Stderr : OutputStream::Stdout, piece});
    }

    const QByteArrayList whole = run(tool, command, segments, nullptr);
    const QByteArrayList pieces = run(tool, command, segments, &random);
    // An adapter sees a pipe: how the kernel cuts the bytes must not matter.
    KW_FUZZ_CHECK(whole == pieces, "the events depend on the chunking:\n  whole:  "
                                       + whole.join("  ") + "\n  pieces: " + pieces.join("  "));
}

} // namespace kw::fuzz
