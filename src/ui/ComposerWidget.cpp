// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ComposerWidget.h"

#include "ui_ComposerWidget.h"

#include <QKeyEvent>

namespace tb::ui {

ComposerWidget::ComposerWidget(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::ComposerWidget>())
{
    m_ui->setupUi(this);
    m_ui->errorBanner->hide();
    // A banner that reads as an error in light and dark palettes alike.
    m_ui->errorBanner->setStyleSheet(QStringLiteral("QFrame#errorBanner { background: rgba(208, 59, 59, 0.14); "
                                                    "border: 1px solid rgba(208, 59, 59, 0.6); border-radius: 4px; }"));
    m_ui->messageEdit->installEventFilter(this);
    connect(m_ui->sendButton, &QPushButton::clicked, this, [this] {
        if (!m_busy && m_unavailable.isEmpty() && !message().trimmed().isEmpty())
            Q_EMIT sendRequested(message());
    });
    connect(m_ui->stopButton, &QPushButton::clicked, this, &ComposerWidget::stopRequested);
    connect(m_ui->retryButton, &QPushButton::clicked, this, &ComposerWidget::retryRequested);
    connect(m_ui->dismissButton, &QToolButton::clicked, this, &ComposerWidget::clearError);
    connect(m_ui->messageEdit, &QPlainTextEdit::textChanged, this, &ComposerWidget::updateButtons);
    updateButtons();
}

ComposerWidget::~ComposerWidget() = default;

void ComposerWidget::setAgents(const QList<Choice>& agents)
{
    const QString current = agent();
    m_ui->agentCombo->clear();
    for (const Choice& c : agents)
        m_ui->agentCombo->addItem(c.label, c.id);
    const int i = m_ui->agentCombo->findData(current);
    if (i >= 0)
        m_ui->agentCombo->setCurrentIndex(i);
}

void ComposerWidget::setEndpoints(const QList<Choice>& endpoints)
{
    const QString current = endpoint();
    m_ui->endpointCombo->clear();
    for (const Choice& c : endpoints)
        m_ui->endpointCombo->addItem(c.label, c.id);
    selectEndpoint(current);
}

QString ComposerWidget::agent() const
{
    return m_ui->agentCombo->currentData().toString();
}

QString ComposerWidget::endpoint() const
{
    return m_ui->endpointCombo->currentData().toString();
}

void ComposerWidget::selectEndpoint(const QString& id)
{
    const int i = m_ui->endpointCombo->findData(id);
    if (i >= 0)
        m_ui->endpointCombo->setCurrentIndex(i);
}

QString ComposerWidget::message() const
{
    return m_ui->messageEdit->toPlainText();
}

void ComposerWidget::setMessage(const QString& text)
{
    m_ui->messageEdit->setPlainText(text);
}

void ComposerWidget::setBusy(bool busy)
{
    m_busy = busy;
    m_ui->messageEdit->setReadOnly(busy);
    m_ui->agentCombo->setEnabled(!busy);
    m_ui->endpointCombo->setEnabled(!busy);
    updateButtons();
}

void ComposerWidget::setUnavailable(const QString& reason)
{
    m_unavailable = reason;
    m_ui->messageEdit->setPlaceholderText(reason.isEmpty() ? tr("Message to continue this branch — Ctrl+Enter sends") : reason);
    m_ui->messageEdit->setEnabled(reason.isEmpty());
    updateButtons();
}

void ComposerWidget::setStatus(const QString& text)
{
    m_ui->runStatus->setText(text);
    m_ui->runStatus->setToolTip(text); // the label may be narrower than a long status
}

void ComposerWidget::showError(const QString& message, bool retryable)
{
    m_ui->errorLabel->setText(message);
    m_ui->retryButton->setVisible(retryable);
    m_ui->errorBanner->show();
}

void ComposerWidget::clearError()
{
    m_ui->errorBanner->hide();
    m_ui->errorLabel->clear();
}

bool ComposerWidget::hasError() const
{
    return !m_ui->errorBanner->isHidden();
}

QString ComposerWidget::errorText() const
{
    return m_ui->errorLabel->text();
}

void ComposerWidget::updateButtons()
{
    m_ui->sendButton->setEnabled(!m_busy && m_unavailable.isEmpty() && !message().trimmed().isEmpty());
    m_ui->stopButton->setEnabled(m_busy);
}

bool ComposerWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->messageEdit && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
            m_ui->sendButton->click();
            return true;
        }
        if (key->key() == Qt::Key_Escape && m_busy) {
            Q_EMIT stopRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace tb::ui
