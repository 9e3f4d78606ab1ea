// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "adapters/outputadapter.h"
#include "protocol/event.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QList>
#include <QStringList>
#include <cstddef>
#include <cstdint>

// Helpers shared by the fuzz targets. Every target is a plain
// LLVMFuzzerTestOneInput() so that libFuzzer (clang, KEEPWATCH_FUZZ=ON) and
// the replay main (any compiler, run by ctest over the corpus) link the same
// file.

// An invariant the target asserts: prints what broke and aborts, which both
// libFuzzer (it keeps the input as crash-*) and ctest (the replay fails) see.
#define KW_FUZZ_CHECK(condition, detail)                                                           \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::kw::fuzz::fail(__FILE__, __LINE__, #condition, (detail));                            \
    } while (0)

namespace kw::fuzz {

[[noreturn]] void fail(const char *file, int line, const char *condition, const QByteArray &detail);

// A small deterministic generator (xorshift32) so that the same input always
// takes the same path: a crash found by libFuzzer replays exactly.
class Random final {
public:
    explicit Random(quint32 seed)
        : m_state(seed ? seed : 0x9e3779b9u) {}
    quint32 next();
    // 0..bound-1
    quint32 below(quint32 bound) { return bound ? next() % bound : 0; }

private:
    quint32 m_state;
};

// The input's first byte steers the target (flags, chunking); the rest is
// the data. Seeds in corpus/ carry such a byte in front of a real capture.
struct Steered {
    quint8 config = 0;
    QByteArrayView data;
};
Steered steer(const uint8_t *bytes, size_t size);

// `data` cut into pieces of 1..maxChunk bytes.
QList<QByteArrayView> chunk(QByteArrayView data, Random &random, quint32 maxChunk);

// NUL-separated words, as /proc/PID/cmdline holds an argv (at most maxWords).
QStringList splitArgv(QByteArrayView data, qsizetype maxWords = 64);

// Encodes the event into a spool line and decodes it back: the line must be
// accepted, and encoding what was decoded must give the same line again
// (decode is the inverse of encode on everything encode writes). Returns the
// line, so callers can compare event sequences as text.
QByteArray checkRoundTrip(const Event &event);

// What an adapter reported, each call as the spool line it would become.
class RecordingSink final : public AdapterSink {
public:
    void log(LogLevel level, QByteArrayView message, OutputStream stream) override;
    void progress(const ProgressPayload &progress) override;
    void state(SessionState state, const QString &reason) override;

    const QByteArrayList &records() const { return m_records; }

private:
    void record(Event event);

    QByteArrayList m_records;
};

// Feeds an adapter made by AdapterRegistry for `command` (the input's first
// byte picks the variant) and checks that the sink sees the same events
// whatever the chunking, every event encodes into a line the collector
// accepts, and every exit status gives a final state.
void fuzzAdapter(const QString &tool, const QList<QStringList> &commandVariants,
                 const uint8_t *bytes, size_t size);

} // namespace kw::fuzz
