// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"

#include <QDialog>
#include <QTimer>

#include <memory>

namespace Ui {
class SearchDialog;
}

namespace tb::ui {

/// Full-text search across every session of the open database. It reads the file a slice at a
/// time from the event loop, so the window stays responsive, shows progress, and can be stopped.
/// Activating a result asks the window to show that session, branch and turn.
class SearchDialog final : public QDialog
{
    Q_OBJECT

public:
    SearchDialog(core::SessionStore* store, QWidget* parent = nullptr);
    ~SearchDialog() override;

    void start(const QString& term);
    void stop();
    [[nodiscard]] bool isRunning() const { return m_timer.isActive(); }
    [[nodiscard]] int resultCount() const;
    /// Rows read per slice; small slices keep each pause of the event loop short.
    void setSliceRows(qint64 rows) { m_sliceRows = rows; }

Q_SIGNALS:
    void resultActivated(const QString& sessionId, const QString& branchId, qint64 turn);
    void finished(int hits);

private:
    void step();

    std::unique_ptr<Ui::SearchDialog> m_ui;
    core::SessionStore* m_store;
    QTimer m_timer;
    QString m_term;
    qint64 m_after = 0;
    qint64 m_sliceRows = 5000;
    int m_hits = 0;
    static constexpr int kMaxHits = 2000;
};

} // namespace tb::ui
