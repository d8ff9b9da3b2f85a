// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/Result.h"

#include <QDialog>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace tb::ui {

/// Asks for the finding to carry from a what-if branch into main: typed by the analyst, or drafted
/// by the model and edited before saving. Returns the text; it saves nothing.
class CarryFindingDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CarryFindingDialog)

public:
    /// Starts a draft and calls `done` once with the text or an error (may be asynchronous).
    using Drafter = std::function<void(const std::function<void(core::Result<QString>)>& done)>;

    CarryFindingDialog(const QString& branchLabel, const QString& initialText, Drafter drafter, QWidget* parent = nullptr);
    ~CarryFindingDialog() override;

    [[nodiscard]] QString text() const;
    void setText(const QString& text);
    /// Asks the drafter (what the "Draft with the Model" button does).
    void draft();
    [[nodiscard]] bool isDrafting() const { return m_drafting; }

private:
    void updateButtons();

    QPlainTextEdit* m_edit = nullptr;
    QPushButton* m_draftButton = nullptr;
    QPushButton* m_ok = nullptr;
    QLabel* m_status = nullptr;
    Drafter m_drafter;
    bool m_drafting = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace tb::ui
