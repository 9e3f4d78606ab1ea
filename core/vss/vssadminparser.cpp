// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "vssadminparser.h"

#include <QRegularExpression>

namespace kw {

namespace {

struct Line {
    qsizetype number = 0; // 1-based
    int indent = 0;
    QString text;  // without indentation and line end
    QString value; // what follows the first label separator, trimmed; the text when none
    bool hasSeparator = false;
};

// ':' and the full-width colon of East Asian translations; French puts a
// space before it ("Nom du rédacteur : ..."), which the trim removes.
qsizetype separatorIndex(QStringView text) {
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u':' || text[i] == QChar(0xFF1A))
            return i;
    }
    return -1;
}

QList<Line> splitLines(QStringView text) {
    QList<Line> lines;
    qsizetype number = 0;
    for (QStringView raw : text.split(u'\n')) {
        ++number;
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        int indent = 0;
        while (indent < raw.size() && (raw[indent] == u' ' || raw[indent] == u'\t'))
            ++indent;
        const QStringView body = raw.mid(indent).trimmed();
        if (body.isEmpty())
            continue;
        Line line;
        line.number = number;
        line.indent = indent;
        line.text = body.toString();
        const qsizetype sep = separatorIndex(body);
        line.hasSeparator = sep >= 0;
        line.value = line.hasSeparator ? body.mid(sep + 1).trimmed().toString() : line.text;
        lines.append(line);
    }
    return lines;
}

// 'System Writer', "System Writer", „...“, «...», ‘...’: the quotes differ
// between translations.
std::optional<QString> quoted(const QString &value) {
    static const QString opening = QStringLiteral("'\"\u201e\u201c\u00ab\u2018\u201a");
    static const QString closing = QStringLiteral("'\"\u201c\u201d\u00bb\u2019\u2018");
    if (value.size() < 2 || !opening.contains(value.front()) || !closing.contains(value.back()))
        return std::nullopt;
    return value.mid(1, value.size() - 2).trimmed();
}

QString at(qsizetype line, const QString &message) {
    return QStringLiteral("line %1: %2").arg(line).arg(message);
}

const QRegularExpression &stateExpression() {
    static const QRegularExpression re(QStringLiteral("\\[(\\d{1,4})\\]\\s*(.*)$"));
    return re;
}

} // namespace

std::optional<QString> VssAdminParser::findGuid(QStringView text) {
    static const QRegularExpression re(QStringLiteral(
        "\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}"));
    const QRegularExpressionMatch match = re.match(text.toString());
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(0).toLower();
}

VssAdminResult<VssAdminWriter> VssAdminParser::parseWriters(QStringView text) {
    VssAdminResult<VssAdminWriter> result;
    const QList<Line> lines = splitLines(text);

    std::optional<VssAdminWriter> writer;
    bool sawState = false;
    bool wantLastError = false;
    auto finish = [&] {
        if (!writer)
            return;
        QString missing;
        if (writer->writerId.isEmpty())
            missing = QStringLiteral("writer ID");
        else if (writer->instanceId.isEmpty())
            missing = QStringLiteral("instance ID");
        else if (!sawState)
            missing = QStringLiteral("state [N]");
        if (missing.isEmpty()) {
            result.items.append(*writer);
        } else {
            result.errors.append(
                at(writer->line, QStringLiteral("writer '%1' has no %2 (output cut short?)")
                                     .arg(writer->name, missing)));
        }
        writer.reset();
    };

    for (const Line &line : lines) {
        if (line.indent == 0) {
            // A writer starts with an unindented "label: 'name'" line; the
            // banner and copyright lines have no quoted value.
            const std::optional<QString> name =
                line.hasSeparator ? quoted(line.value) : std::nullopt;
            if (!name) {
                if (writer || !result.items.isEmpty())
                    result.errors.append(
                        at(line.number,
                           QStringLiteral("not a writer line: %1").arg(line.text.left(80))));
                continue;
            }
            finish();
            writer = VssAdminWriter{};
            writer->name = *name;
            writer->line = line.number;
            sawState = false;
            wantLastError = false;
            continue;
        }
        if (!writer) {
            result.errors.append(
                at(line.number,
                   QStringLiteral("detail line outside a writer: %1").arg(line.text.left(80))));
            continue;
        }
        if (wantLastError) {
            writer->lastError = line.value;
            wantLastError = false;
            continue;
        }
        if (const std::optional<QString> guid = findGuid(line.value)) {
            if (writer->writerId.isEmpty())
                writer->writerId = *guid;
            else if (writer->instanceId.isEmpty())
                writer->instanceId = *guid;
            else
                result.errors.append(at(
                    line.number, QStringLiteral("a third GUID for writer '%1'").arg(writer->name)));
            continue;
        }
        const QRegularExpressionMatch state = stateExpression().match(line.value);
        if (state.hasMatch() && !sawState) {
            writer->state = state.captured(1).toInt();
            writer->stateText = state.captured(2).trimmed();
            sawState = true;
            wantLastError = true; // the line after the state is the last error
            continue;
        }
        result.errors.append(at(line.number, QStringLiteral("not understood in writer '%1': %2")
                                                 .arg(writer->name, line.text.left(80))));
    }
    finish();
    return result;
}

VssAdminResult<VssAdminShadow> VssAdminParser::parseShadows(QStringView text) {
    VssAdminResult<VssAdminShadow> result;
    const QList<Line> lines = splitLines(text);

    QString setId;
    QString creationTime;
    int announced = -1; // "Contained N shadow copies": N
    int found = 0;
    qsizetype setLine = 0;
    std::optional<VssAdminShadow> shadow;
    int plainFields = 0; // unquoted detail lines after the device: machines, type, attributes

    auto finishShadow = [&] {
        if (!shadow)
            return;
        if (shadow->deviceObject.isEmpty()) {
            result.errors.append(
                at(shadow->line, QStringLiteral("shadow copy %1 has no device (output cut short?)")
                                     .arg(shadow->shadowId)));
        } else {
            result.items.append(*shadow);
            ++found;
        }
        shadow.reset();
    };
    auto finishSet = [&] {
        finishShadow();
        if (!setId.isEmpty() && announced >= 0 && found != announced) {
            result.errors.append(
                at(setLine, QStringLiteral("shadow copy set %1 announces %2 shadow copies, %3 read")
                                .arg(setId)
                                .arg(announced)
                                .arg(found)));
        }
        setId.clear();
        creationTime.clear();
        announced = -1;
        found = 0;
    };

    static const QRegularExpression volumeName(
        QStringLiteral("\\\\\\\\\\?\\\\Volume\\{[^}]*\\}\\\\?"));
    static const QRegularExpression driveLetter(QStringLiteral("^\\(([^)]*)\\)"));
    static const QRegularExpression count(QStringLiteral("(\\d+)"));

    for (const Line &line : lines) {
        const std::optional<QString> guid = findGuid(line.value);
        if (line.indent == 0) {
            if (guid && line.hasSeparator) {
                finishSet();
                setId = *guid;
                setLine = line.number;
            } else if (!setId.isEmpty() || !result.items.isEmpty()) {
                result.errors.append(
                    at(line.number,
                       QStringLiteral("not a shadow copy set line: %1").arg(line.text.left(80))));
            }
            continue;
        }
        if (setId.isEmpty()) {
            result.errors.append(
                at(line.number, QStringLiteral("detail line outside a shadow copy set: %1")
                                    .arg(line.text.left(80))));
            continue;
        }
        const QString device = line.value;
        if (device.contains(QLatin1String("\\\\?\\GLOBALROOT\\"), Qt::CaseInsensitive)) {
            if (shadow && shadow->deviceObject.isEmpty())
                shadow->deviceObject = device;
            else
                result.errors.append(
                    at(line.number, QStringLiteral("a device outside a shadow copy")));
            continue;
        }
        const QRegularExpressionMatch volume = volumeName.match(line.value);
        if (volume.hasMatch()) {
            if (!shadow) {
                result.errors.append(
                    at(line.number, QStringLiteral("a volume outside a shadow copy")));
                continue;
            }
            shadow->volumeName = volume.captured(0);
            const QRegularExpressionMatch drive = driveLetter.match(line.value);
            if (drive.hasMatch())
                shadow->originalVolume = drive.captured(1);
            continue;
        }
        if (guid) {
            finishShadow();
            shadow = VssAdminShadow{};
            shadow->setId = setId;
            shadow->shadowId = *guid;
            shadow->creationTime = creationTime;
            shadow->line = line.number;
            plainFields = 0;
            continue;
        }
        if (!shadow) {
            // "Contained 1 shadow copies at creation time: 9/10/2021 5:49:26 PM":
            // the count is the number before the separator, the time after it.
            const qsizetype sep = separatorIndex(line.text);
            const QRegularExpressionMatch n = count.match(line.text.left(qMax<qsizetype>(sep, 0)));
            if (sep > 0 && n.hasMatch() && announced < 0) {
                announced = n.captured(1).toInt();
                creationTime = line.value;
            } else {
                result.errors.append(at(
                    line.number,
                    QStringLiteral("not understood in set %1: %2").arg(setId, line.text.left(80))));
            }
            continue;
        }
        if (const std::optional<QString> provider = quoted(line.value)) {
            shadow->provider = *provider;
            continue;
        }
        switch (plainFields++) {
        case 0:
            shadow->originatingMachine = line.value;
            break;
        case 1:
            shadow->serviceMachine = line.value;
            break;
        case 2:
            shadow->type = line.value;
            break;
        case 3:
            shadow->attributes = line.value;
            break;
        default:
            result.errors.append(
                at(line.number, QStringLiteral("not understood in shadow copy %1: %2")
                                    .arg(shadow->shadowId, line.text.left(80))));
        }
    }
    finishSet();
    return result;
}

} // namespace kw
