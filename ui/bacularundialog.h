// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QDialog>
#include <QList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;

namespace kw {

class BaculaJobControl;

// "Run Bacula Job…": the Job resources of a director (`.jobs`, read when
// the director is chosen, off the window's time), one of them run after a
// confirmation (`run job="NAME" yes`). The director's answer is said here
// when it refuses; when it queues the job, started() says so and the dialog
// closes (the job then shows as a session of bacula:<director>).
class BaculaRunDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaculaRunDialog)

public:
    // `controls`: one per director, owned by the caller, outliving the dialog.
    explicit BaculaRunDialog(const QList<BaculaJobControl *> &controls, QWidget *parent = nullptr);
    ~BaculaRunDialog() override;

    // What the dialog says (reading, the director's error), for tests.
    QString statusText() const;

signals:
    void started(const QString &message);

private:
    void listJobs();
    void confirmRun();
    BaculaJobControl *control() const;

    QList<BaculaJobControl *> m_controls;
    QComboBox *m_director = nullptr;
    QListWidget *m_jobs = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace kw
