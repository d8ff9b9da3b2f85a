// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SessionPropertiesDialog.h"

#include "SessionListModel.h"
#include "ui_SessionPropertiesDialog.h"

#include <QPushButton>

namespace tb::ui {

SessionPropertiesDialog::SessionPropertiesDialog(const QString& sessionId, const core::SessionMeta& meta, bool readOnly,
                                                 QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SessionPropertiesDialog>())
{
    m_ui->setupUi(this);
    m_ui->sessionIdLabel->setText(tr("Session <b>%1</b>").arg(sessionId.toHtmlEscaped()));
    for (core::ReviewStatus s : {core::ReviewStatus::New, core::ReviewStatus::InReview, core::ReviewStatus::Resolved,
                                 core::ReviewStatus::Escalated})
        m_ui->statusCombo->addItem(SessionListModel::statusName(s), QVariant::fromValue(int(s)));
    m_ui->titleEdit->setText(meta.title);
    m_ui->customerEdit->setText(meta.customer);
    m_ui->tagsEdit->setText(meta.tags.join(QStringLiteral(", ")));
    m_ui->statusCombo->setCurrentIndex(m_ui->statusCombo->findData(int(meta.reviewStatus)));
    m_ui->notesEdit->setPlainText(meta.notes);
    if (readOnly) {
        for (QWidget* w : {static_cast<QWidget*>(m_ui->titleEdit), static_cast<QWidget*>(m_ui->customerEdit),
                           static_cast<QWidget*>(m_ui->tagsEdit), static_cast<QWidget*>(m_ui->statusCombo)})
            w->setEnabled(false);
        m_ui->notesEdit->setReadOnly(true);
        m_ui->buttonBox->button(QDialogButtonBox::Save)->setEnabled(false);
        setWindowTitle(tr("Session Properties (read-only file)"));
    }
}

SessionPropertiesDialog::~SessionPropertiesDialog() = default;

core::SessionMeta SessionPropertiesDialog::meta() const
{
    core::SessionMeta m;
    m.title = m_ui->titleEdit->text().trimmed();
    m.customer = m_ui->customerEdit->text().trimmed();
    for (const QString& t : m_ui->tagsEdit->text().split(u',', Qt::SkipEmptyParts)) {
        const QString tag = t.trimmed();
        if (!tag.isEmpty() && !m.tags.contains(tag))
            m.tags << tag;
    }
    m.reviewStatus = core::ReviewStatus(m_ui->statusCombo->currentData().toInt());
    m.notes = m_ui->notesEdit->toPlainText();
    return m;
}

} // namespace tb::ui
