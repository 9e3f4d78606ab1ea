// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "fleet/producercheck.h"

#include "fleet/spoolchunkreader.h"
#include "platform/processprobe.h"
#include "protocol/eventcodec.h"

namespace kw::ProducerCheck {

namespace {

// A start or end line is a few hundred bytes; a file whose first or last
// line is longer than this is not one a wrapper wrote.
constexpr qint64 kLookBytes = 64 * 1024;

std::optional<Event> decode(QByteArrayView line) {
    EventDecoder decoder;
    Event event;
    if (!decoder.decode(line, event).ok)
        return std::nullopt;
    return event;
}

} // namespace

std::optional<Producer> producerOf(const QString &path, std::optional<uint> requiredOwner) {
    const SpoolChunkReader::Chunk chunk =
        SpoolChunkReader::peek(path, requiredOwner, 0, kLookBytes);
    const qsizetype newline = chunk.bytes.indexOf('\n');
    if (!chunk.error.isEmpty() || newline < 0)
        return std::nullopt;
    const auto event = decode(QByteArrayView(chunk.bytes).first(newline));
    const auto *start = event ? event->as<StartPayload>() : nullptr;
    if (!start || !start->producerPid || !start->producerStartTicks
        || (!start->host.isEmpty() && start->host != ProcessProbe::hostName()))
        return std::nullopt;
    return Producer{*start->producerPid, *start->producerStartTicks, start->bootId};
}

bool endsWithEndEvent(const QString &path, std::optional<uint> requiredOwner) {
    const SpoolChunkReader::Chunk chunk =
        SpoolChunkReader::peek(path, requiredOwner, -kLookBytes, kLookBytes);
    QByteArrayView bytes(chunk.bytes);
    if (!chunk.error.isEmpty() || !bytes.endsWith('\n'))
        return false;
    bytes.chop(1);
    const qsizetype newline = bytes.lastIndexOf('\n');
    if (newline < 0 && chunk.size > kLookBytes)
        return false; // a last line longer than any end event
    const auto event = decode(bytes.sliced(newline + 1));
    return event && event->type() == EventType::End;
}

bool diedWithoutEnd(const QString &path, std::optional<uint> requiredOwner,
                    const Producer &producer) {
    return ProcessProbe::liveness(producer.pid, producer.startTicks, producer.bootId)
               == ProcessProbe::Liveness::Gone
           && !endsWithEndEvent(path, requiredOwner);
}

} // namespace kw::ProducerCheck
