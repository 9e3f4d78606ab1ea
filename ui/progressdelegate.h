#pragma once

#include <QStyledItemDelegate>

namespace kw {

// Paints the Progress column as a progress bar drawn by the style (so it
// looks native in every theme), with the model's text on it. A session that
// reports no percentage (bytes only, or nothing yet) gets plain text: an
// empty or guessed bar would claim more than we know.
class ProgressDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)

public:
    explicit ProgressDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    // The role holding the percentage (0..100, negative when unknown).
    // SessionTableModel::PercentRole unless a test says otherwise.
    void setPercentRole(int role) { m_percentRole = role; }
    int percentRole() const { return m_percentRole; }

private:
    int m_percentRole;
};

} // namespace kw
