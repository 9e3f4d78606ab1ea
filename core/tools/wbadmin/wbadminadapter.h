// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "tools/generic/genericadapter.h"

#include <QString>
#include <optional>

namespace kw {

// wbadmin, Windows Server Backup's command line (tests/fixtures/wbadmin).
// Every line is the generic adapter's classified log line; besides that:
// - progress records, "Creating a backup of volume (C:), copied (35%)." or
//   "Running backup of volume Local Disk(C:), copied (12%).", repeated and
//   sometimes ended by '\r' alone, become progress: the percent and the
//   volume as the current item. Windows translates the words ("Sicherung
//   von Volume ... wird ausgeführt, kopiert (12 %)."), not the layout, so
//   only the layout is read: a line ending in "(N%)" or "(N %)" (an
//   optional '.' after it) is a progress record; the last parenthesised
//   text before it is the volume. The percent is that volume's: wbadmin
//   starts again at 0 for the next one. A record that only repeats the
//   previous one is not logged again.
// - a step, a line ending in "..." ("Creating a shadow copy of the volumes
//   specified for backup..."), becomes the current item (without the dots).
// - the summary: "The backup operation stopped before completing." is an
//   error line (English only: nothing in its layout tells it apart);
//   "ERROR - ..." lines are errors already.
// Exit codes: WbadminProfile (none documented: 0 succeeds, others fail).
class WbadminAdapter final : public GenericAdapter {
public:
    WbadminAdapter();

    QString name() const override { return QStringLiteral("wbadmin"); }

    struct Record {
        double percent = 0;
        QString volume; // "C:", "Local Disk(C:)" is "C:"; empty when none was printed
    };
    // A progress record, read by its layout alone.
    static std::optional<Record> parseRecord(QStringView line);
    // A step ("Creating a shadow copy of the volumes specified for backup...")
    // without its dots, or empty.
    static QString parseStep(QStringView line);

protected:
    void line(OutputStream stream, QByteArrayView line, AdapterSink &sink) override;

private:
    QByteArray m_lastRecord;
};

} // namespace kw
