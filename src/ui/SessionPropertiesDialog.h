// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "core/SessionStore.h"

#include <QDialog>

#include <memory>

namespace Ui {
class SessionPropertiesDialog;
}

namespace tb::ui {

/// Edits a session's workbench metadata (title, customer, tags, review status, notes). It returns
/// the values; the window saves them.
class SessionPropertiesDialog final : public QDialog
{
    Q_OBJECT

public:
    SessionPropertiesDialog(const QString& sessionId, const core::SessionMeta& meta, bool readOnly, QWidget* parent = nullptr);
    ~SessionPropertiesDialog() override;

    [[nodiscard]] core::SessionMeta meta() const;

private:
    std::unique_ptr<Ui::SessionPropertiesDialog> m_ui;
};

} // namespace tb::ui
