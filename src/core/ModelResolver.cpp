// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ModelResolver.h"

namespace tb::core {

QString modelSourceName(ModelSource source)
{
    switch (source) {
    case ModelSource::Request: return QStringLiteral("request");
    case ModelSource::Branch: return QStringLiteral("branch");
    case ModelSource::Session: return QStringLiteral("session");
    case ModelSource::File: return QStringLiteral("file");
    case ModelSource::Default: return QStringLiteral("default");
    case ModelSource::Override: return QStringLiteral("override");
    case ModelSource::None: return {};
    }
    return {};
}

// Keys join with U+0001: session and branch ids are free text but never hold control characters
// in practice, and a collision would only mix two assignments, never fail.
QString ModelResolver::assignmentKey(const QString& sessionId, const QString& branchId)
{
    return sessionId + QChar(1) + branchId;
}

QString ModelResolver::requestKey(const QString& sessionId, const QString& branchId, qint64 turn)
{
    return sessionId + QChar(1) + branchId + QChar(1) + QString::number(turn);
}

void ModelResolver::setAssignments(const QList<ModelAssignment>& assignments)
{
    m_assignments.clear();
    for (const ModelAssignment& a : assignments) {
        if (!a.model.isEmpty())
            m_assignments.insert(assignmentKey(a.sessionId, a.branchId), a.model);
    }
}

void ModelResolver::addRequestModel(const QString& sessionId, const QString& branchId, qint64 turn, const QString& model,
                                    qint64 totalTokens)
{
    if (model.isEmpty())
        return;
    QList<RequestChoice>& choices = m_requests[requestKey(sessionId, branchId, turn)];
    for (RequestChoice& c : choices) {
        if (c.model == model) {
            c.tokens += totalTokens;
            return;
        }
    }
    choices.push_back({model, totalTokens});
}

void ModelResolver::addRequestModels(const QList<RequestUsage>& rows)
{
    for (const RequestUsage& r : rows)
        addRequestModel(r.sessionId, r.branchId, r.userTurnNumber, r.model, r.totalTokens);
}

ResolvedModel ModelResolver::fromAssignments(const QString& sessionId, const QString& branchId) const
{
    if (!m_assignments.isEmpty()) {
        if (!branchId.isEmpty()) {
            if (auto it = m_assignments.constFind(assignmentKey(sessionId, branchId)); it != m_assignments.cend())
                return {*it, ModelSource::Branch};
        }
        if (auto it = m_assignments.constFind(assignmentKey(sessionId, QString())); it != m_assignments.cend())
            return {*it, ModelSource::Session};
        // A workspace names a member's file-wide assignment "label/".
        if (const qsizetype slash = sessionId.indexOf(u'/'); slash > 0) {
            const QString member = sessionId.left(slash + 1);
            if (auto it = m_assignments.constFind(assignmentKey(member, QString())); it != m_assignments.cend())
                return {*it, ModelSource::File};
        }
        if (auto it = m_assignments.constFind(assignmentKey(QString(), QString())); it != m_assignments.cend())
            return {*it, ModelSource::File};
    }
    if (!m_default.isEmpty())
        return {m_default, ModelSource::Default};
    return {};
}

ResolvedModel ModelResolver::resolve(const QString& sessionId, const QString& branchId, qint64 turn) const
{
    if (!m_override.isEmpty())
        return {m_override, ModelSource::Override};
    if (!m_requests.isEmpty()) {
        if (auto it = m_requests.constFind(requestKey(sessionId, branchId, turn)); it != m_requests.cend() && !it->isEmpty()) {
            const RequestChoice* best = &it->front();
            for (const RequestChoice& c : *it) {
                if (c.tokens > best->tokens)
                    best = &c;
            }
            return {best->model, ModelSource::Request};
        }
    }
    return fromAssignments(sessionId, branchId);
}

ResolvedModel ModelResolver::resolveSession(const QString& sessionId, const QString& recordedModel) const
{
    if (!m_override.isEmpty())
        return {m_override, ModelSource::Override};
    if (!recordedModel.isEmpty())
        return {recordedModel, ModelSource::Request};
    return fromAssignments(sessionId, QString());
}

} // namespace tb::core
