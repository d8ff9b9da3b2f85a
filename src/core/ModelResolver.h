// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#pragma once

#include "SessionStore.h"

#include <QHash>
#include <QList>
#include <QString>

namespace tb::core {

/// Where the model a turn is priced on came from, most specific first.
enum class ModelSource { Request, Branch, Session, File, Default, Override, None };

/// "request", "branch", "session", "file", "default", "override" or "" (TurnTokens::modelSource).
QString modelSourceName(ModelSource source);

/// A model and the reason it was chosen.
struct ResolvedModel
{
    QString model;                         // empty when nothing names one (source None)
    ModelSource source = ModelSource::None;
};

/// Which model a turn's usage is priced on. The SDK's turn_usage names no model, so: the model of
/// the workbench's request rows (tb_request_usage) of that turn; else the model an analyst
/// assigned to the branch, then the session, then the file (tb_model_assignment); else the default
/// model. An override model (what-if pricing, `report --model M`) replaces all of them.
///
/// Session ids are the store's: in a WorkspaceStore they are composite ("label/id"), and a
/// member's file-wide assignment comes as session "label/" — both forms are understood.
class ModelResolver final
{
public:
    void setDefaultModel(const QString& model) { m_default = model; }
    [[nodiscard]] const QString& defaultModel() const { return m_default; }
    /// Empty: no override.
    void setOverrideModel(const QString& model) { m_override = model; }
    [[nodiscard]] const QString& overrideModel() const { return m_override; }

    /// SessionStore::modelAssignments() (replaces earlier ones).
    void setAssignments(const QList<ModelAssignment>& assignments);
    /// Request rows of one turn and model. When a turn used several models, the one with the most
    /// tokens prices the turn (ties: the first added).
    void addRequestModel(const QString& sessionId, const QString& branchId, qint64 turn, const QString& model,
                         qint64 totalTokens);
    void addRequestModels(const QList<RequestUsage>& rows);
    void addRequestModel(const RequestModelRow& row)
    {
        addRequestModel(row.sessionId, row.branchId, row.turn, row.model, row.totalTokens);
    }
    /// Forgets request rows (not assignments): a long report resolves one session at a time.
    void clearRequestModels() { m_requests.clear(); }

    [[nodiscard]] ResolvedModel resolve(const QString& sessionId, const QString& branchId, qint64 turn) const;
    /// Without request rows of a turn: the session listing's view (SessionSummary::model is the
    /// session's last recorded model), then assignments of the session or file, then the default.
    [[nodiscard]] ResolvedModel resolveSession(const QString& sessionId, const QString& recordedModel) const;

private:
    struct RequestChoice
    {
        QString model;
        qint64 tokens = 0;
    };
    [[nodiscard]] ResolvedModel fromAssignments(const QString& sessionId, const QString& branchId) const;
    static QString requestKey(const QString& sessionId, const QString& branchId, qint64 turn);
    static QString assignmentKey(const QString& sessionId, const QString& branchId);

    QString m_default;
    QString m_override;
    QHash<QString, QString> m_assignments;                // assignmentKey -> model
    QHash<QString, QList<RequestChoice>> m_requests;      // requestKey -> models of that turn
};

} // namespace tb::core
