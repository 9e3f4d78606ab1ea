// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <memory>

namespace kw {

// Protocol v1 (docs/event-protocol.md): one JSON object per line.
namespace Protocol {
constexpr int kVersion = 1;
// A longer line is reported and skipped: it bounds what a reader buffers.
constexpr qsizetype kMaxLineBytes = 1024 * 1024;
// Producers cut log messages to this many bytes so a line always fits.
constexpr qsizetype kMaxMessageBytes = 64 * 1024;
} // namespace Protocol

class EventEncoder final {
public:
    // One complete line, '\n'-terminated, always valid UTF-8 JSON.
    static QByteArray encode(const Event &event);
    static void encodeInto(QByteArray &out, const Event &event);
};

struct DecodeResult {
    bool ok = false;
    bool blank = false; // an empty or whitespace-only line: not an event, not an error
    QString error;      // why the line was rejected, when !ok && !blank
};

// Decodes and validates lines. Keeps the JSON parser's buffers between calls,
// so use one decoder per reader (it is not thread-safe).
class EventDecoder final {
public:
    EventDecoder();
    ~EventDecoder();
    EventDecoder(const EventDecoder &) = delete;
    EventDecoder &operator=(const EventDecoder &) = delete;

    // `line` without its '\n' (a trailing '\r' is tolerated).
    DecodeResult decode(QByteArrayView line, Event &event);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace kw
