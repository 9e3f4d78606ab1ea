// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace kw {

// One writer of `vssadmin list writers`.
struct VssAdminWriter {
    QString name;
    QString writerId;   // "{e8132975-6f93-4464-a53e-1050253ae220}", lower case
    QString instanceId; // likewise
    int state = 0;      // VSS_WRITER_STATE, the number in "[N]"
    QString stateText;  // the words after "[N]", in the system's language
    QString lastError;  // in the system's language; empty when not printed
    qsizetype line = 0; // 1-based line of the writer's name
};

// One shadow copy of `vssadmin list shadows`.
struct VssAdminShadow {
    QString setId;          // shadow copy set
    QString shadowId;       // the shadow copy
    QString creationTime;   // as printed (the format follows the locale)
    QString originalVolume; // "C:" when a drive letter was printed
    QString volumeName;     // "\\?\Volume{GUID}\"
    QString deviceObject;   // "\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy3"
    QString originatingMachine;
    QString serviceMachine;
    QString provider;
    QString type;
    QString attributes;
    qsizetype line = 0;
};

template<typename T>
struct VssAdminResult {
    QList<T> items;
    QStringList errors; // "line 12: ...": what could not be read; the rest still is
};

// Reads `vssadmin list writers` and `vssadmin list shadows` output in any
// language: Windows translates the labels and words ("Writer name:",
// "Nom du rédacteur :", "State: [1] Stable", "État : [1] Stable"), but not
// the layout (a name line, indented detail lines), the numeric state [N] or
// the GUIDs, which are all this parser relies on. CRLF or LF line ends.
class VssAdminParser final {
public:
    static VssAdminResult<VssAdminWriter> parseWriters(QStringView text);
    static VssAdminResult<VssAdminShadow> parseShadows(QStringView text);

    // "{...}" in lower case when `text` holds one GUID in braces.
    static std::optional<QString> findGuid(QStringView text);
};

} // namespace kw
