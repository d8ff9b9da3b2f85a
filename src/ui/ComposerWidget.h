// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class ComposerWidget;
}

namespace tb::ui {

/// Where the analyst writes the next message of a branch: agent and endpoint choice, the message,
/// Send (Ctrl+Enter) and Stop, and an error banner with Retry. It only collects input and shows
/// state; the window runs the agent.
class ComposerWidget final : public QWidget
{
    Q_OBJECT

public:
    struct Choice
    {
        QString id;
        QString label;
    };

    explicit ComposerWidget(QWidget* parent = nullptr);
    ~ComposerWidget() override;

    void setAgents(const QList<Choice>& agents);
    void setEndpoints(const QList<Choice>& endpoints);
    [[nodiscard]] QString agent() const;
    [[nodiscard]] QString endpoint() const;
    void selectEndpoint(const QString& id);

    [[nodiscard]] QString message() const;
    void setMessage(const QString& text);
    /// While a run is going: Send disabled, Stop enabled, the message kept.
    void setBusy(bool busy);
    [[nodiscard]] bool isBusy() const { return m_busy; }
    /// Disables sending and says why (read-only file, no session, plain SQLiteSession file).
    void setUnavailable(const QString& reason);
    void setStatus(const QString& text);

    void showError(const QString& message, bool retryable);
    void clearError();
    [[nodiscard]] bool hasError() const;
    [[nodiscard]] QString errorText() const;

Q_SIGNALS:
    void sendRequested(const QString& message);
    void stopRequested();
    void retryRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateButtons();

    std::unique_ptr<Ui::ComposerWidget> m_ui;
    bool m_busy = false;
    QString m_unavailable;
};

} // namespace tb::ui
