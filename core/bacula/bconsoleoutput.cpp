// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacula/bconsoleoutput.h"

#include "protocol/sessionid.h"

#include <QDateTime>
#include <QHash>
#include <QRegularExpression>

namespace kw::Bconsole {

namespace {

constexpr qsizetype kMaxFieldChars = 512;
constexpr qsizetype kMaxLogEntryChars = 64 * 1024;

QList<QByteArrayView> splitLines(QByteArrayView text) {
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        QByteArrayView line = text.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        start = end + 1;
    }
    return lines;
}

// Text from the director, shown to users: valid UTF-8 or replaced, no
// control characters (a newline kept where `keepNewlines`), bounded.
QString cleaned(QByteArrayView bytes, qsizetype maxChars = kMaxFieldChars,
                bool keepNewlines = false) {
    QString text = QString::fromUtf8(bytes.first(qMin(bytes.size(), maxChars * 4)));
    if (text.size() > maxChars)
        text.truncate(maxChars);
    for (QChar &c : text) {
        if ((c.unicode() < 0x20 && !(keepNewlines && c == u'\n')) || c.unicode() == 0x7f)
            c = QChar(0xfffd);
    }
    return text;
}

// What bconsole or the director said, for a message: its first three
// non-empty lines, cleaned.
QStringList firstWords(const QList<QByteArrayView> &lines) {
    QStringList said;
    for (QByteArrayView line : lines) {
        if (!line.trimmed().isEmpty() && said.size() < 3)
            said << cleaned(line.trimmed(), 200);
    }
    return said;
}

std::optional<qint64> number(const QString &text) {
    bool ok = false;
    const qint64 n = text.trimmed().toLongLong(&ok);
    return ok && n >= 0 ? std::optional<qint64>(n) : std::nullopt;
}

bool isCode(QChar c, bool spaceAllowed) {
    return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (spaceAllowed && c == u' ');
}

// One block of fields (key=value or "Key: value" lines), with the line it began on.
struct Block {
    int firstLine = 0;
    QHash<QString, QString> fields;
};

// Consecutive lines that `field` reads as a field, one block each run.
template<typename FieldReader>
QList<Block> blocks(QByteArrayView answer, FieldReader field, QStringList &problems) {
    QList<Block> out;
    Block current;
    bool open = false;
    int lineNumber = 0;
    for (QByteArrayView line : splitLines(answer)) {
        ++lineNumber;
        QString key;
        QString value;
        if (!field(line, key, value)) {
            if (open)
                out.append(std::exchange(current, Block{}));
            open = false;
            continue;
        }
        if (!open) {
            current.firstLine = lineNumber;
            open = true;
        }
        if (current.fields.contains(key))
            problems << QStringLiteral("line %1: %2 given twice; the first one is kept")
                            .arg(lineNumber)
                            .arg(key);
        else
            current.fields.insert(key, value);
    }
    if (open)
        out.append(current);
    return out;
}

bool apiField(QByteArrayView line, QString &key, QString &value) {
    static const QRegularExpression keyPattern(QStringLiteral("^[A-Za-z][A-Za-z0-9_/ ]{0,39}$"));
    const qsizetype eq = line.indexOf('=');
    if (eq <= 0)
        return false;
    key = QString::fromLatin1(line.first(eq));
    if (!keyPattern.match(key).hasMatch())
        return false;
    value = cleaned(line.sliced(eq + 1));
    return true;
}

bool catalogField(QByteArrayView line, QString &key, QString &value) {
    static const QRegularExpression pattern(QStringLiteral("^\\s*([A-Za-z]{1,40}): ?(.*)$"));
    const QRegularExpressionMatch m =
        pattern.match(QString::fromUtf8(line.first(qMin(line.size(), kMaxFieldChars * 2))));
    if (!m.hasMatch())
        return false;
    key = m.captured(1);
    value = cleaned(m.captured(2).toUtf8()).trimmed();
    return true;
}

// What a block's fields say of a job, by the names this answer uses.
struct JobKeys {
    const char *jobId, *job, *name, *type, *level, *status, *statusText, *client, *fileSet,
        *storage, *readStorage, *pool, *bytes, *files, *errors, *comment;
};

class BlockReader {
public:
    BlockReader(const Block &block, int index, QStringList &problems)
        : m_block(block)
        , m_index(index)
        , m_problems(problems) {}

    QString text(const char *key) const {
        return key ? m_block.fields.value(QLatin1String(key)) : QString();
    }
    bool has(const char *key) const { return key && m_block.fields.contains(QLatin1String(key)); }
    std::optional<qint64> count(const char *key) const {
        if (!has(key))
            return std::nullopt;
        const auto n = number(text(key));
        if (!n)
            problem(QStringLiteral("%1 is not a count: '%2'").arg(QLatin1String(key), text(key)));
        return n;
    }
    QChar code(const char *key, bool spaceAllowed) const {
        const QString value = text(key);
        if (value.isEmpty() && spaceAllowed)
            return u' ';
        if (value.size() == 1 && isCode(value[0], spaceAllowed))
            return value[0];
        if (has(key))
            problem(QStringLiteral("%1 is not a code: '%2'").arg(QLatin1String(key), value));
        return {};
    }
    qint64 epochMs(const char *key) const {
        const auto seconds = count(key);
        return seconds && *seconds > 0 && *seconds < 100LL * 365 * 24 * 3600 ? *seconds * 1000 : 0;
    }
    qint64 localTimeMs(const char *key) const {
        const QString value = text(key);
        if (value.isEmpty() || value == QLatin1String("0"))
            return 0;
        const QDateTime t = QDateTime::fromString(value, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (!t.isValid()) {
            problem(QStringLiteral("%1 is not a time: '%2'").arg(QLatin1String(key), value));
            return 0;
        }
        return t.toMSecsSinceEpoch();
    }
    void problem(const QString &what) const {
        m_problems << QStringLiteral("block %1 (line %2): %3")
                          .arg(m_index)
                          .arg(m_block.firstLine)
                          .arg(what);
    }

private:
    const Block &m_block;
    int m_index;
    QStringList &m_problems;
};

// A job from a block; nothing (the problem said) when it has no usable ID.
std::optional<Job> jobOf(const BlockReader &r, const JobKeys &k) {
    Job job;
    const auto jobId = r.count(k.jobId);
    job.job = r.text(k.job);
    if (!jobId || *jobId == 0) {
        if (r.has(k.jobId))
            return std::nullopt; // said by count()
        r.problem(QStringLiteral("no %1; left out").arg(QLatin1String(k.jobId)));
        return std::nullopt;
    }
    job.jobId = *jobId;
    if (const QString why = SessionId::validationError(job.job); !why.isEmpty()) {
        r.problem(QStringLiteral("JobId %1: %2; left out").arg(job.jobId).arg(why));
        return std::nullopt;
    }
    job.name = r.text(k.name);
    job.type = r.code(k.type, false);
    job.level = r.code(k.level, true);
    job.status = r.code(k.status, false);
    job.statusText = r.text(k.statusText);
    job.client = r.text(k.client);
    job.fileSet = r.text(k.fileSet);
    job.storage = r.text(k.storage);
    job.readStorage = r.text(k.readStorage);
    job.pool = r.text(k.pool);
    job.bytes = r.count(k.bytes);
    job.files = r.count(k.files);
    job.errors = r.count(k.errors).value_or(0);
    job.comment = r.text(k.comment);
    return job;
}

} // namespace

std::optional<QByteArray> answerTo(QByteArrayView output, QByteArrayView command, QString *error) {
    const QList<QByteArrayView> lines = splitLines(output);
    const QByteArrayView wanted = command.trimmed();
    qsizetype echo = -1;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed() == wanted) {
            echo = i;
            break;
        }
    }
    if (echo < 0) {
        if (error) {
            const QStringList said = firstWords(lines);
            *error = said.isEmpty() ? QStringLiteral("bconsole printed nothing")
                                    : QStringLiteral("bconsole did not answer %1: %2")
                                          .arg(QString::fromUtf8(wanted), said.join(u' '));
        }
        return std::nullopt;
    }
    qsizetype end = lines.size();
    while (end > echo + 1
           && (lines[end - 1].trimmed().isEmpty() || lines[end - 1] == "You have messages."))
        --end;
    QByteArray answer;
    for (qsizetype i = echo + 1; i < end; ++i) {
        answer += lines[i];
        answer += '\n';
    }
    return answer;
}

Parsed<Job> directorJobs(QByteArrayView answer) {
    Parsed<Job> out;
    static const JobKeys keys{"jobid",    "job",      "name",        "type",
                              "level",    "status",   "status_desc", "clientname",
                              "fileset",  "storage",  "rstorage",    nullptr,
                              "jobbytes", "jobfiles", "errors",      "comment"};
    int index = 0;
    for (const Block &block : blocks(answer, apiField, out.problems)) {
        const BlockReader r(block, ++index, out.problems);
        auto job = jobOf(r, keys);
        if (!job)
            continue;
        job->scheduledMs = r.epochMs("schedtime_epoch");
        job->startedMs = r.epochMs("starttime_epoch");
        job->endedMs = r.epochMs("endtime_epoch");
        out.items.append(std::move(*job));
    }
    return out;
}

Parsed<ClientJob> clientJobs(QByteArrayView answer) {
    Parsed<ClientJob> out;
    int index = 0;
    for (const Block &block : blocks(answer, apiField, out.problems)) {
        const BlockReader r(block, ++index, out.problems);
        if (!r.has("JobId")) {
            if (!r.has("DirectorConnected_epoch")) // the daemon's own block
                r.problem(QStringLiteral("no JobId; left out"));
            continue;
        }
        ClientJob job;
        const auto jobId = r.count("JobId");
        if (!jobId || *jobId == 0)
            continue;
        job.jobId = *jobId;
        job.job = r.text("Job");
        if (const QString why = SessionId::validationError(job.job); !why.isEmpty()) {
            r.problem(QStringLiteral("JobId %1: %2; left out").arg(job.jobId).arg(why));
            continue;
        }
        job.files = r.count("JobFiles").value_or(0);
        job.bytes = r.count("JobBytes").value_or(0);
        job.bytesPerSecond = r.count("Bytes/sec").value_or(0);
        job.filesExamined = r.count("Files Examined").value_or(0);
        job.expectedFiles = r.count("Expected Files");
        job.currentFile = r.text("Processing file");
        job.errors = r.count("Errors").value_or(0);
        out.items.append(std::move(job));
    }
    return out;
}

Parsed<Job> catalogJobs(QByteArrayView answer) {
    Parsed<Job> out;
    static const JobKeys keys{"JobId",    "Job",        "Name",      "Type",   "Level", "JobStatus",
                              nullptr,    "ClientName", "FileSet",   nullptr,  nullptr, "PoolName",
                              "JobBytes", "JobFiles",   "JobErrors", "Comment"};
    int index = 0;
    for (const Block &block : blocks(answer, catalogField, out.problems)) {
        const BlockReader r(block, ++index, out.problems);
        auto job = jobOf(r, keys);
        if (!job)
            continue;
        job->scheduledMs = r.localTimeMs("SchedTime");
        job->startedMs = r.localTimeMs("StartTime");
        job->endedMs = r.localTimeMs("EndTime");
        out.items.append(std::move(*job));
    }
    return out;
}

namespace {
// "| LogText   |": the one column of `list joblog`'s table.
bool isLogTextHeader(QByteArrayView line) {
    QByteArrayView inner = line.trimmed().sliced(1);
    if (inner.endsWith('|'))
        inner.chop(1);
    return inner.trimmed().compare("LogText", Qt::CaseInsensitive) == 0;
}
} // namespace

Parsed<QString> jobLog(QByteArrayView answer) {
    Parsed<QString> out;
    // +----+ / | LogText | / +----+, then cells: "| " and the text, which
    // goes on over lines while it has newlines, until a line "\   |" (or a
    // cell on one line, "| text   |"); +----+ closes the table.
    enum class At { Before, Header, Cells } at = At::Before;
    bool inCell = false;
    QByteArray cell;
    int lineNumber = 0;
    auto finish = [&] {
        while (cell.endsWith('\n'))
            cell.chop(1);
        out.items.append(cleaned(cell, kMaxLogEntryChars, true));
        cell.clear();
        inCell = false;
    };
    for (QByteArrayView line : splitLines(answer)) {
        ++lineNumber;
        if (at == At::Before) {
            // A job with no log yet: 9.6 says so, then prints the job's row
            // in a table of its own, which is not its log.
            if (line.trimmed() == "No results to list.")
                break;
            if (line.startsWith("+-"))
                at = At::Header;
            continue;
        }
        if (at == At::Header) {
            if (line.startsWith("+-")) {
                at = At::Cells;
            } else if (line.startsWith('|') && !isLogTextHeader(line)) {
                out.problems << QStringLiteral("line %1: not the log's table ('%2'); left out")
                                    .arg(lineNumber)
                                    .arg(cleaned(line.trimmed(), 80));
                break;
            }
            continue;
        }
        if (inCell) {
            const QByteArrayView rest = line.trimmed();
            if (line.startsWith('\\') && rest.endsWith('|')
                && rest.sliced(1, rest.size() - 2).trimmed().isEmpty()) {
                finish();
                continue;
            }
            if (cell.size() < kMaxLogEntryChars) {
                cell += line;
                cell += '\n';
            }
            continue;
        }
        if (line.startsWith("+-"))
            break; // the end of the table (9.6 prints the job's row after it)
        if (!line.startsWith("| ")) {
            if (!line.trimmed().isEmpty())
                out.problems << QStringLiteral("line %1: not a cell of the log table; left out")
                                    .arg(lineNumber);
            continue;
        }
        const QByteArrayView text = line.sliced(2);
        if (text.trimmed().endsWith('|') && text.trimmed().size() > 1) {
            // The whole cell on one line.
            QByteArrayView inner = text.trimmed();
            inner.chop(1);
            cell = inner.trimmed().toByteArray();
            finish();
            continue;
        }
        inCell = true;
        cell = text.toByteArray();
        cell += '\n';
    }
    if (inCell) {
        out.problems << QStringLiteral("the log table ends inside an entry (output cut short)");
        finish();
    }
    return out;
}

Parsed<QString> jobNames(QByteArrayView answer) {
    Parsed<QString> out;
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9 _.:-]{1,127}$"));
    int lineNumber = 0;
    for (QByteArrayView line : splitLines(answer)) {
        ++lineNumber;
        const QString text = QString::fromUtf8(line.trimmed());
        if (text.isEmpty())
            continue;
        if (name.match(text).hasMatch())
            out.items.append(text);
        else
            out.problems << QStringLiteral("line %1: not a job name: '%2'")
                                .arg(lineNumber)
                                .arg(cleaned(line.trimmed(), 80));
    }
    return out;
}

bool cancelAccepted(QByteArrayView answer, qint64 jobId, QString *why) {
    // A queued job: "JobId 2, Job … marked to be canceled."; a running one,
    // from the storage daemon: "3000 JobId=1 Job="…" marked to be canceled."
    const QByteArray queued = "JobId " + QByteArray::number(jobId) + ", Job ";
    const QByteArray running = "3000 JobId=" + QByteArray::number(jobId) + " Job=";
    for (QByteArrayView line : splitLines(answer)) {
        if ((line.startsWith(queued) || line.startsWith(running))
            && line.trimmed().endsWith("marked to be canceled."))
            return true;
    }
    if (why) {
        const QStringList said = firstWords(splitLines(answer));
        *why = said.isEmpty() ? QStringLiteral("the director said nothing") : said.join(u' ');
    }
    return false;
}

std::optional<qint64> runQueued(QByteArrayView answer, QString *why) {
    static const QRegularExpression queued(QStringLiteral("^Job queued\\. JobId=([0-9]{1,18})$"));
    const QList<QByteArrayView> lines = splitLines(answer);
    for (QByteArrayView line : lines) {
        if (const auto m = queued.match(QString::fromUtf8(line.trimmed())); m.hasMatch())
            return m.captured(1).toLongLong();
    }
    if (why) {
        // Which catalog it used is no reason, nor the list of the jobs
        // it has after "Job … not found".
        QList<QByteArrayView> reasons;
        for (QByteArrayView line : lines) {
            if (line.startsWith("The defined Job resources are:"))
                break;
            if (!line.startsWith("Automatically selected Catalog:")
                && !line.startsWith("Using Catalog "))
                reasons << line;
        }
        const QStringList said = firstWords(reasons);
        *why = said.isEmpty() ? QStringLiteral("the director said nothing") : said.join(u' ');
    }
    return std::nullopt;
}

} // namespace kw::Bconsole
