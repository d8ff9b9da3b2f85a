// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "CarryFindingDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tb::ui {

CarryFindingDialog::CarryFindingDialog(const QString& branchLabel, const QString& initialText, Drafter drafter, QWidget* parent)
    : QDialog(parent)
    , m_drafter(std::move(drafter))
{
    setObjectName(QStringLiteral("carryFindingDialog"));
    setWindowTitle(tr("Carry Finding to Main"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("What the branch <b>%1</b> showed, in a few sentences. It is appended to <b>main</b> as an "
                                "analyst note (a developer message the agent reads, never shown as said by the customer), "
                                "and linked to the branch.")
                                 .arg(branchLabel.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_edit = new QPlainTextEdit(initialText, this);
    m_edit->setObjectName(QStringLiteral("findingEdit"));
    m_edit->setPlaceholderText(tr("For example: offering a refund instead of a voucher ended the escalation."));
    m_edit->setMinimumSize(520, 160);
    layout->addWidget(m_edit);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("draftStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Carry to Main"));
    m_draftButton = buttons->addButton(tr("&Draft with the Model"), QDialogButtonBox::ActionRole);
    m_draftButton->setObjectName(QStringLiteral("draftButton"));
    m_draftButton->setEnabled(bool(m_drafter));
    if (!m_drafter)
        m_draftButton->setToolTip(tr("No model endpoint is available."));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_draftButton, &QPushButton::clicked, this, &CarryFindingDialog::draft);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &CarryFindingDialog::updateButtons);
    updateButtons();
}

CarryFindingDialog::~CarryFindingDialog()
{
    *m_alive = false; // a draft finishing after the dialog closed must not touch it
}

QString CarryFindingDialog::text() const
{
    return m_edit->toPlainText().trimmed();
}

void CarryFindingDialog::setText(const QString& text)
{
    m_edit->setPlainText(text);
}

void CarryFindingDialog::draft()
{
    if (!m_drafter || m_drafting)
        return;
    m_drafting = true;
    m_status->setText(tr("Asking the model for a draft…"));
    updateButtons();
    std::weak_ptr<bool> alive = m_alive;
    m_drafter([this, alive](core::Result<QString> result) {
        if (alive.expired() || !*alive.lock())
            return;
        m_drafting = false;
        if (result) {
            m_edit->setPlainText(*result);
            m_status->setText(tr("Drafted by the model: read and edit it before carrying it."));
        } else {
            m_status->setText(tr("No draft: %1").arg(result.error().message));
        }
        updateButtons();
    });
}

void CarryFindingDialog::updateButtons()
{
    m_ok->setEnabled(!m_drafting && !text().isEmpty());
    m_draftButton->setEnabled(bool(m_drafter) && !m_drafting);
}

} // namespace tb::ui
