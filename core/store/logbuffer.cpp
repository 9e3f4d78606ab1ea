// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "store/logbuffer.h"

#include <algorithm>

namespace kw {

LogBuffer::LogBuffer(qint64 maxLines)
    : m_maxLines(qMax<qint64>(kLinesPerBlock, maxLines)) {}

void LogBuffer::setMaxLines(qint64 maxLines) {
    m_maxLines = qMax<qint64>(kLinesPerBlock, maxLines);
    evict();
}

// A block's text grows by copying as few times as can be: sessions written
// at one pace (200 jobs started by one timer) grew theirs by doubling in
// step, so every 4,096 lines 200 texts of 128 KiB were copied in one turn
// of the event loop (a 50-70 ms stall in benchmark 3). Now the next block
// is given room for as much as the last one held, and a first block grows
// by doubling (a short log stays small) until kLinesBeforeEstimate lines
// tell what a whole block will take (copied 200 x 8 KiB then, where the
// doubling copied 200 x 128 KiB at once); shrinkToFit() gives the room back
// when the session ends.
qsizetype LogBuffer::grownTextCapacity(const Block &block, qsizetype length) {
    const qsizetype needed = block.text.size() + length;
    const auto lines = qsizetype(block.records.size());
    if (lines < kLinesBeforeEstimate)
        return std::max<qsizetype>(2 * needed, 256);
    const qsizetype whole = needed / (lines + 1) * kLinesPerBlock;
    return std::max(whole + whole / 8, needed + needed / 2);
}

void LogBuffer::append(qint64 timestampMs, LogLevel level, QByteArrayView text) {
    if (m_blocks.empty() || qint64(m_blocks.back().records.size()) == kLinesPerBlock) {
        qsizetype room = 0;
        if (!m_blocks.empty()) {
            // A full block never grows again: give back its growth slack.
            QByteArray &full = m_blocks.back().text;
            full.squeeze();
            room = full.size() + full.size() / 8;
        }
        m_blocks.emplace_back();
        m_blocks.back().records.reserve(size_t(kLinesPerBlock));
        m_blocks.back().text.reserve(room);
    }
    Block &block = m_blocks.back();
    // Lines are cut below 1 MiB (the protocol's line limit is 1 MiB anyway),
    // so 4096 of them always fit the 32-bit offsets.
    const quint32 length = quint32(qMin<qsizetype>(text.size(), kMaxLineLength));
    if (block.text.size() + qsizetype(length) > block.text.capacity())
        block.text.reserve(grownTextCapacity(block, qsizetype(length)));
    block.records.push_back(
        Record{timestampMs, quint32(block.text.size()), length | (quint32(level) << 24)});
    block.text.append(text.data(), length);
    ++m_count;
    evict();
}

void LogBuffer::shrinkToFit() {
    if (m_blocks.empty())
        return;
    m_blocks.back().text.squeeze();
    m_blocks.back().records.shrink_to_fit();
}

void LogBuffer::evict() {
    // Drop whole blocks, and only while what remains still holds maxLines.
    while (m_blocks.size() > 1 && m_count - qint64(m_blocks.front().records.size()) >= m_maxLines) {
        const qint64 dropped = qint64(m_blocks.front().records.size());
        m_blocks.erase(m_blocks.begin());
        m_firstSeq += dropped;
        m_count -= dropped;
    }
}

LogBuffer::Line LogBuffer::line(qint64 seq) const {
    Q_ASSERT(seq >= firstSeq() && seq < endSeq());
    // Every block but the last is full, so the block index is a division.
    const qint64 index = seq - m_firstSeq;
    const Block &block = m_blocks[size_t(index / kLinesPerBlock)];
    const Record &r = block.records[size_t(index % kLinesPerBlock)];
    return Line{r.timestampMs, LogLevel(r.lengthAndLevel >> 24),
                QByteArrayView(block.text.constData() + r.offset,
                               qsizetype(r.lengthAndLevel & kLengthMask))};
}

LogBuffer::Run LogBuffer::run(size_t block, int first, int end) const {
    const Block &b = m_blocks[block];
    Run r;
    r.m_firstSeq = m_firstSeq + qint64(block) * kLinesPerBlock + first;
    r.m_records = b.records.data() + first;
    r.m_count = end - first;
    r.m_base = b.records[size_t(first)].offset;
    const Record &last = b.records[size_t(end - 1)];
    const quint32 textEnd = last.offset + (last.lengthAndLevel & kLengthMask);
    r.m_text = QByteArrayView(b.text.constData() + r.m_base, qsizetype(textEnd - r.m_base));
    return r;
}

qint64 LogBuffer::overheadBytes() const {
    qint64 bytes = qint64(sizeof(*this));
    for (const Block &b : m_blocks)
        bytes += qint64(sizeof(Block)) + qint64(b.records.capacity() * sizeof(Record))
                 + (b.text.capacity() - b.text.size());
    return bytes;
}

qint64 LogBuffer::textBytes() const {
    qint64 bytes = 0;
    for (const Block &b : m_blocks)
        bytes += b.text.size();
    return bytes;
}

} // namespace kw
