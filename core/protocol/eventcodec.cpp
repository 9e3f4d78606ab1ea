// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "protocol/eventcodec.h"

#include "protocol/jsonwriter.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"

#include <cmath>
#include <limits>
#include <new>
#include <simdjson.h>
#include <string_view>
#include <type_traits>
#include <unordered_map>

namespace kw {

// ---------------------------------------------------------------- encoding

namespace {

std::string_view view(const QByteArray &bytes) {
    return std::string_view(bytes.constData(), size_t(bytes.size()));
}

// Cuts a message at a UTF-8 character boundary and says how much was cut.
QByteArray boundedMessage(const QByteArray &message) {
    if (message.size() <= Protocol::kMaxMessageBytes)
        return message;
    qsizetype cut = Protocol::kMaxMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80)
        --cut; // do not split a multi-byte character
    return message.left(cut) + " [... " + QByteArray::number(message.size() - cut)
           + " more bytes cut by keepwatch]";
}

struct PayloadEncoder {
    JsonWriter &w;

    void operator()(const StartPayload &p) const {
        w.field("kind", QString(wireName(p.kind)));
        if (p.state != SessionState::Running)
            w.field("state", QString(wireName(p.state)));
        if (!p.tool.isEmpty())
            w.field("tool", p.tool);
        if (!p.host.isEmpty())
            w.field("host", p.host);
        if (!p.user.isEmpty())
            w.field("user", p.user);
        if (!p.target.isEmpty())
            w.field("target", p.target);
        if (!p.title.isEmpty())
            w.field("title", p.title);
        if (!p.cwd.isEmpty())
            w.field("cwd", p.cwd);
        if (!p.command.isEmpty())
            w.field("command", p.command);
        w.optionalField("pid", p.pid);
        w.optionalField("producer_pid", p.producerPid);
        if (p.producerStartTicks)
            w.field("producer_start", qint64(*p.producerStartTicks));
        if (!p.bootId.isEmpty())
            w.field("boot_id", p.bootId);
        if (!p.unit.isEmpty())
            w.field("unit", p.unit);
        if (!p.invocationId.isEmpty())
            w.field("invocation_id", p.invocationId);
    }
    void operator()(const StatePayload &p) const {
        w.field("state", QString(wireName(p.state)));
        if (!p.reason.isEmpty())
            w.field("reason", p.reason);
    }
    void operator()(const ProgressPayload &p) const {
        w.optionalField("percent", p.percent, 2);
        w.optionalField("bytes_done", p.bytesDone);
        w.optionalField("bytes_total", p.bytesTotal);
        w.optionalField("files_done", p.filesDone);
        w.optionalField("files_total", p.filesTotal);
        w.optionalField("rate", p.rate, 0);
        w.optionalField("eta", p.etaSeconds);
        if (!p.current.isEmpty())
            w.field("current", p.current);
    }
    void operator()(const LogPayload &p) const {
        w.field("level", QString(wireName(p.level)));
        w.field("msg", view(boundedMessage(p.message)));
        if (!p.stream.isEmpty())
            w.field("stream", p.stream);
    }
    void operator()(const EndPayload &p) const {
        w.field("state", QString(wireName(p.state)));
        w.optionalField("exit_code", p.exitCode);
        w.optionalField("signal", p.signal);
        if (!p.summary.isEmpty())
            w.field("summary", p.summary);
    }
};

} // namespace

void EventEncoder::encodeInto(QByteArray &out, const Event &event) {
    JsonWriter w(out);
    w.beginObject();
    w.field("v", qint64(Protocol::kVersion));
    w.field("ts", view(Timestamp::formatIsoMs(event.timestampMs)));
    w.field("session", event.session);
    w.field("type", QString(wireName(event.type())));
    event.visit(PayloadEncoder{w});
    w.endObject();
    out.append('\n');
}

QByteArray EventEncoder::encode(const Event &event) {
    QByteArray out;
    out.reserve(256);
    encodeInto(out, event);
    return out;
}

// ---------------------------------------------------------------- decoding

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

QString fromUtf8(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Reads one object's fields by name; every accessor says what was wrong.
class Fields {
public:
    explicit Fields(object obj)
        : m_obj(obj) {
        // One walk over the object instead of an at_key walk per field (a
        // log line asks for seven): the keys and values go into a small
        // array, without the duplicates (the first one counts, as with
        // at_key), and lookups start after the last key found, since
        // producers write the fields in the order they are asked for.
        quint64 seen = 0; // a bit per (length, first byte): duplicates are rare
        for (const simdjson::dom::key_value_pair field : obj) {
            if (m_count == kMaxFields) {
                m_overflow = true; // an odd object: at_key finds the rest
                break;
            }
            const quint64 bit = quint64(1) << ((field.key.size() * 31
                                                + (field.key.empty() ? 0 : uchar(field.key[0])))
                                               % 64);
            if ((seen & bit) && indexOf(field.key, 0) >= 0)
                continue;
            seen |= bit;
            new (&m_slots[m_count]) Slot{field.key, field.value};
            ++m_count;
        }
    }

    // Missing or null -> true with the value left alone; wrong type -> false.
    bool string(std::string_view key, std::string_view &out, QString &error) const {
        element e;
        if (!find(key, e) || e.is_null())
            return true;
        if (e.get_string().get(out) != simdjson::SUCCESS) {
            error = QStringLiteral("field '%1' must be a string").arg(fromUtf8(key));
            return false;
        }
        return true;
    }
    bool string(std::string_view key, QString &out, QString &error) const {
        std::string_view v;
        if (!string(key, v, error))
            return false;
        if (v.data())
            out = fromUtf8(v);
        return true;
    }

    bool integer(std::string_view key, std::optional<qint64> &out, QString &error,
                 qint64 min = 0) const {
        element e;
        if (!find(key, e) || e.is_null())
            return true;
        int64_t v;
        if (e.get_int64().get(v) != simdjson::SUCCESS) {
            double d;
            // 12.0 is accepted (some encoders print every number as a float)
            if (e.get_double().get(d) != simdjson::SUCCESS || d != std::floor(d)
                || std::abs(d) > 9.0e15) {
                error = QStringLiteral("field '%1' must be an integer").arg(fromUtf8(key));
                return false;
            }
            v = int64_t(d);
        }
        if (v < min) {
            error = QStringLiteral("field '%1' must be at least %2, got %3")
                        .arg(fromUtf8(key))
                        .arg(min)
                        .arg(v);
            return false;
        }
        out = v;
        return true;
    }

    bool number(std::string_view key, std::optional<double> &out, QString &error, double min,
                double max) const {
        element e;
        if (!find(key, e) || e.is_null())
            return true;
        double v;
        if (e.get_double().get(v) != simdjson::SUCCESS) {
            int64_t i;
            uint64_t u;
            if (e.get_int64().get(i) == simdjson::SUCCESS)
                v = double(i);
            else if (e.get_uint64().get(u) == simdjson::SUCCESS)
                v = double(u);
            else {
                error = QStringLiteral("field '%1' must be a number").arg(fromUtf8(key));
                return false;
            }
        }
        if (!(v >= min && v <= max)) {
            error = QStringLiteral("field '%1' must be between %2 and %3, got %4")
                        .arg(fromUtf8(key))
                        .arg(min)
                        .arg(max)
                        .arg(v);
            return false;
        }
        out = v;
        return true;
    }

    bool stringList(std::string_view key, QStringList &out, QString &error) const {
        element e;
        if (!find(key, e) || e.is_null())
            return true;
        simdjson::dom::array arr;
        if (e.get_array().get(arr) != simdjson::SUCCESS) {
            error = QStringLiteral("field '%1' must be an array of strings").arg(fromUtf8(key));
            return false;
        }
        for (element item : arr) {
            std::string_view s;
            if (item.get_string().get(s) != simdjson::SUCCESS) {
                error = QStringLiteral("field '%1' must be an array of strings").arg(fromUtf8(key));
                return false;
            }
            out.append(fromUtf8(s));
        }
        return true;
    }

    // A string, or any other JSON value kept as its compact JSON text.
    bool text(std::string_view key, QString &out) const {
        element e;
        if (!find(key, e) || e.is_null())
            return true;
        std::string_view s;
        if (e.get_string().get(s) == simdjson::SUCCESS)
            out = fromUtf8(s);
        else
            out = QString::fromStdString(simdjson::minify(e));
        return true;
    }

private:
    static constexpr int kMaxFields = 32;

    int indexOf(std::string_view key, int from) const {
        for (int n = 0; n < m_count; ++n) {
            const int i = (from + n) % m_count;
            if (m_slots[i].key == key)
                return i;
        }
        return -1;
    }
    bool find(std::string_view key, element &out) const {
        const int i = indexOf(key, m_next);
        if (i >= 0) {
            m_next = i + 1 == m_count ? 0 : i + 1;
            out = m_slots[i].value;
            return true;
        }
        return m_overflow && m_obj.at_key(key).get(out) == simdjson::SUCCESS;
    }

    struct Slot {
        std::string_view key;
        element value;
    };
    static_assert(std::is_trivially_destructible_v<Slot>);

    object m_obj;
    // Left uninitialised until filled: zeroing a kilobyte per line showed in
    // the profile.
    union {
        Slot m_slots[kMaxFields];
    };
    int m_count = 0;
    bool m_overflow = false;
    mutable int m_next = 0;
};

// The wire names compared as bytes first: a QString per line just to read
// "info" was 2 % of the ingest. Synonyms and odd cases take the long way.
LogLevel decodeLevel(std::string_view level) {
    if (level == "info")
        return LogLevel::Info;
    if (level == "warning")
        return LogLevel::Warning;
    if (level == "error")
        return LogLevel::Error;
    if (level == "debug")
        return LogLevel::Debug;
    return logLevelFromString(fromUtf8(level)).value_or(LogLevel::Info);
}

bool decodeState(const Fields &f, std::string_view key, bool required, SessionState &out,
                 QString &error) {
    std::string_view text;
    if (!f.string(key, text, error))
        return false;
    if (!text.data()) {
        if (required)
            error = QStringLiteral("missing field '%1'").arg(fromUtf8(key));
        return !required;
    }
    const auto state = sessionStateFromString(fromUtf8(text));
    if (!state) {
        error = QStringLiteral("unknown state %1").arg(SessionId::quoted(fromUtf8(text)));
        return false;
    }
    out = *state;
    return true;
}

bool decodeStart(const Fields &f, StartPayload &p, QString &error) {
    std::string_view kind;
    if (!f.string("kind", kind, error))
        return false;
    if (kind.data()) // a kind from a newer protocol is shown as "other", not rejected
        p.kind = sessionKindFromString(fromUtf8(kind)).value_or(SessionKind::Other);
    if (!decodeState(f, "state", false, p.state, error))
        return false;
    if (isTerminal(p.state)) {
        error = QStringLiteral("a start event cannot carry the final state '%1'")
                    .arg(wireName(p.state));
        return false;
    }
    std::optional<qint64> producerStart;
    const bool ok =
        f.string("tool", p.tool, error) && f.string("host", p.host, error)
        && f.string("user", p.user, error) && f.string("target", p.target, error)
        && f.string("title", p.title, error) && f.string("cwd", p.cwd, error)
        && f.stringList("command", p.command, error) && f.integer("pid", p.pid, error, 1)
        && f.integer("producer_pid", p.producerPid, error, 1)
        && f.integer("producer_start", producerStart, error) && f.string("boot_id", p.bootId, error)
        && f.string("unit", p.unit, error) && f.string("invocation_id", p.invocationId, error);
    if (producerStart)
        p.producerStartTicks = quint64(*producerStart);
    if (ok && !p.invocationId.isEmpty() && !SessionId::isInvocationId(p.invocationId)) {
        error = QStringLiteral("invocation_id must be 32 hexadecimal digits");
        return false;
    }
    return ok;
}

bool decodeProgress(const Fields &f, ProgressPayload &p, QString &error) {
    constexpr double kMaxDouble = std::numeric_limits<double>::max();
    return f.number("percent", p.percent, error, 0.0, 100.0)
           && f.integer("bytes_done", p.bytesDone, error)
           && f.integer("bytes_total", p.bytesTotal, error)
           && f.integer("files_done", p.filesDone, error)
           && f.integer("files_total", p.filesTotal, error)
           && f.number("rate", p.rate, error, 0.0, kMaxDouble)
           && f.integer("eta", p.etaSeconds, error) && f.string("current", p.current, error);
}

bool decodeLog(const Fields &f, LogPayload &p, QString &error) {
    std::string_view msg;
    if (!f.string("msg", msg, error))
        return false;
    if (!msg.data()) {
        error = QStringLiteral("missing field 'msg'");
        return false;
    }
    p.message = QByteArray(msg.data(), qsizetype(msg.size()));
    std::string_view level;
    if (!f.string("level", level, error))
        return false;
    if (level.data())
        p.level = decodeLevel(level);
    return f.string("stream", p.stream, error);
}

bool decodeEnd(const Fields &f, EndPayload &p, QString &error) {
    if (!decodeState(f, "state", true, p.state, error))
        return false;
    if (!isTerminal(p.state)) {
        error = QStringLiteral("an end event needs a final state, not '%1'").arg(wireName(p.state));
        return false;
    }
    std::optional<qint64> exitCode, signal;
    if (!f.integer("exit_code", exitCode, error, std::numeric_limits<int>::min())
        || !f.integer("signal", signal, error, 1))
        return false;
    if (exitCode)
        p.exitCode = int(*exitCode);
    if (signal)
        p.signal = int(*signal);
    return f.text("summary", p.summary);
}

} // namespace

struct EventDecoder::Impl {
    simdjson::dom::parser parser;

    // Interleaved files repeat a few hundred session IDs millions of times:
    // convert and validate each ID once, then share its QString. Looked up by
    // the line's own bytes (the key views into `bytes`, which never changes),
    // hashed with std::hash: QHash's seeded SipHash was a tenth of the ingest.
    struct InternedId {
        QByteArray bytes;
        QString id;
        QString error; // SessionId::validationError(id)
    };
    std::unordered_map<std::string_view, InternedId> sessionIds;
    const InternedId *last = nullptr;

    const InternedId &internSession(std::string_view bytes) {
        if (last && std::string_view(last->bytes.constData(), size_t(last->bytes.size())) == bytes)
            return *last;
        auto it = sessionIds.find(bytes);
        if (it == sessionIds.end()) {
            if (sessionIds.size() > 100000) {
                last = nullptr;
                sessionIds.clear(); // bound the cache, never the correctness
            }
            InternedId interned;
            interned.bytes = QByteArray(bytes.data(), qsizetype(bytes.size()));
            interned.id = fromUtf8(bytes);
            interned.error = SessionId::validationError(interned.id);
            const std::string_view key(interned.bytes.constData(), bytes.size());
            it = sessionIds.emplace(key, std::move(interned)).first;
        }
        last = &it->second;
        return *last;
    }
};

EventDecoder::EventDecoder()
    : d(std::make_unique<Impl>()) {}
EventDecoder::~EventDecoder() = default;

DecodeResult EventDecoder::decode(QByteArrayView line, Event &event) {
    DecodeResult result;
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty()) {
        result.blank = true;
        return result;
    }
    if (line.size() > Protocol::kMaxLineBytes) {
        result.error = QStringLiteral("line is %1 bytes long (at most %2)")
                           .arg(line.size())
                           .arg(Protocol::kMaxLineBytes);
        return result;
    }
    element doc;
    if (auto err = d->parser.parse(line.data(), size_t(line.size())).get(doc)) {
        result.error =
            QStringLiteral("not valid JSON: %1").arg(QLatin1String(simdjson::error_message(err)));
        return result;
    }
    object obj;
    if (doc.get_object().get(obj) != simdjson::SUCCESS) {
        result.error = QStringLiteral("not a JSON object");
        return result;
    }
    const Fields f(obj);
    QString &error = result.error;

    std::optional<qint64> version;
    if (!f.integer("v", version, error))
        return result;
    if (!version) {
        error = QStringLiteral("missing field 'v' (protocol version)");
        return result;
    }
    if (*version != Protocol::kVersion) {
        error = QStringLiteral("unsupported protocol version %1 (this reader knows %2)")
                    .arg(*version)
                    .arg(Protocol::kVersion);
        return result;
    }

    std::string_view ts, session, type;
    if (!f.string("ts", ts, error) || !f.string("session", session, error)
        || !f.string("type", type, error))
        return result;
    if (!ts.data()) {
        error = QStringLiteral("missing field 'ts'");
        return result;
    }
    const auto timestamp = Timestamp::parseIsoMs(ts);
    if (!timestamp) {
        error = QStringLiteral("field 'ts' is not an ISO-8601 timestamp with a zone: %1")
                    .arg(SessionId::quoted(fromUtf8(ts)));
        return result;
    }
    if (!session.data()) {
        error = QStringLiteral("missing field 'session'");
        return result;
    }
    const Impl::InternedId &interned = d->internSession(session);
    if (!interned.error.isEmpty()) {
        error = interned.error;
        return result;
    }
    event.session = interned.id;
    if (!type.data()) {
        error = QStringLiteral("missing field 'type'");
        return result;
    }
    event.timestampMs = *timestamp;

    bool ok = false;
    if (type == "log") {
        ok = decodeLog(f, event.emplace<LogPayload>(), error);
    } else if (type == "progress") {
        ok = decodeProgress(f, event.emplace<ProgressPayload>(), error);
    } else if (type == "state") {
        auto &p = event.emplace<StatePayload>();
        ok = decodeState(f, "state", true, p.state, error) && f.string("reason", p.reason, error);
    } else if (type == "start") {
        ok = decodeStart(f, event.emplace<StartPayload>(), error);
    } else if (type == "end") {
        ok = decodeEnd(f, event.emplace<EndPayload>(), error);
    } else {
        // Forward compatibility: an event type from a newer producer is kept
        // as a log line holding the whole line, so nothing is silently lost.
        auto &p = event.emplace<LogPayload>();
        std::string_view level;
        if (f.string("level", level, error) && level.data())
            p.level = decodeLevel(level);
        error.clear();
        p.message = line.toByteArray();
        ok = true;
    }
    result.ok = ok;
    return result;
}

} // namespace kw
