// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "SdkCall.h"

#include "core/ItemClassifier.h"

#include <QSet>

namespace tb::app {

using core::Json;

namespace {

struct Args
{
    const Json& kwargs;
    QString method;

    const Json* get(const char16_t* name) const { return kwargs.find(QStringView(name)); }
};

SdkOutcome fromError(const core::Error& e)
{
    if (e.isSdkException())
        return {SdkOutcome::Kind::Raised, {}, e.sdkExceptionType(), e.message};
    return SdkOutcome::failed(e.message);
}

template <typename T, typename F>
SdkOutcome convert(const core::Result<T>& r, F&& f)
{
    if (!r)
        return fromError(r.error());
    return {SdkOutcome::Kind::Returned, f(r.value()), {}, {}};
}

SdkOutcome convertVoid(const core::Result<void>& r)
{
    if (!r)
        return fromError(r.error());
    return {SdkOutcome::Kind::Returned, Json(), {}, {}};
}

Json optString(const std::optional<QString>& s)
{
    return s ? Json(*s) : Json();
}

Json optInt(const std::optional<qint64>& v)
{
    return v ? Json(*v) : Json();
}

Json turnsJson(const QList<core::ConversationTurn>& turns)
{
    Json::Array out;
    for (const auto& t : turns) {
        Json o = Json::object();
        o.insert(QStringLiteral("turn"), optInt(t.turn));
        o.insert(QStringLiteral("content"), Json(t.content));
        o.insert(QStringLiteral("full_content"), t.fullContent);
        o.insert(QStringLiteral("timestamp"), Json(t.timestamp));
        o.insert(QStringLiteral("can_branch"), Json(t.canBranch));
        out.push_back(std::move(o));
    }
    return Json(std::move(out));
}

Json turnUsageJson(const core::TurnUsage& u, bool withTurn)
{
    Json o = Json::object();
    if (withTurn)
        o.insert(QStringLiteral("user_turn_number"), optInt(u.userTurnNumber));
    o.insert(QStringLiteral("requests"), u.requests);
    o.insert(QStringLiteral("input_tokens"), u.inputTokens);
    o.insert(QStringLiteral("output_tokens"), u.outputTokens);
    o.insert(QStringLiteral("total_tokens"), u.totalTokens);
    o.insert(QStringLiteral("input_tokens_details"), u.inputTokensDetails);
    o.insert(QStringLiteral("output_tokens_details"), u.outputTokensDetails);
    return o;
}

// Keyword arguments of one call, validated the way Python validates a call signature.
class Signature
{
public:
    Signature(const Args& a, std::initializer_list<const char16_t*> names) : m_args(a)
    {
        for (const char16_t* n : names)
            m_names.insert(QString::fromUtf16(n));
    }
    std::optional<SdkOutcome> check() const
    {
        if (!m_args.kwargs.isObject())
            return SdkOutcome::failed(QStringLiteral("keyword arguments must be a JSON object"));
        for (const auto& [key, value] : m_args.kwargs.asObject()) {
            if (!m_names.contains(key)) {
                return SdkOutcome{SdkOutcome::Kind::Raised, {}, QStringLiteral("TypeError"),
                                  QStringLiteral("%1() got an unexpected keyword argument '%2'").arg(m_args.method, key)};
            }
        }
        return std::nullopt;
    }

private:
    const Args& m_args;
    QSet<QString> m_names;
};

// Reads an optional str argument; a non-string non-null value is a usage error.
bool optionalString(const Args& a, const char16_t* name, std::optional<QString>* out, QString* error)
{
    const Json* v = a.get(name);
    if (!v || v->isNull()) {
        *out = std::nullopt;
        return true;
    }
    if (!v->isString()) {
        *error = QStringLiteral("argument %1 must be a string or null").arg(QString::fromUtf16(name));
        return false;
    }
    *out = v->toString();
    return true;
}

bool optionalInt(const Args& a, const char16_t* name, std::optional<qint64>* out, QString* error)
{
    const Json* v = a.get(name);
    if (!v || v->isNull()) {
        *out = std::nullopt;
        return true;
    }
    if (!v->isInt() && !v->isBool()) {
        *error = QStringLiteral("argument %1 must be an integer or null").arg(QString::fromUtf16(name));
        return false;
    }
    *out = v->isBool() ? qint64(v->toBool()) : v->toInt();
    return true;
}

std::optional<core::RunUsage> usageFrom(const Json& u, QString* error)
{
    if (u.isNull())
        return std::nullopt;
    if (!u.isObject()) {
        *error = QStringLiteral("usage must be an object or null");
        return std::nullopt;
    }
    core::RunUsage r;
    r.requests = u[u"requests"].toInt();
    r.inputTokens = u[u"input_tokens"].toInt();
    r.outputTokens = u[u"output_tokens"].toInt();
    r.totalTokens = u[u"total_tokens"].toInt();
    // Usage() normalises missing or None details to zeros, so details are always written.
    const Json& in = u[u"input_tokens_details"];
    r.cachedTokens = in[u"cached_tokens"].toInt();
    r.cacheWriteTokens = in[u"cache_write_tokens"].toInt();
    r.reasoningTokens = u[u"output_tokens_details"][u"reasoning_tokens"].toInt();
    return r;
}

} // namespace

QStringList SdkCall::methods()
{
    return {QStringLiteral("get_items"),
            QStringLiteral("add_items"),
            QStringLiteral("pop_item"),
            QStringLiteral("clear_session"),
            QStringLiteral("store_run_usage"),
            QStringLiteral("get_session_usage"),
            QStringLiteral("get_turn_usage"),
            QStringLiteral("get_tool_usage"),
            QStringLiteral("get_conversation_turns"),
            QStringLiteral("get_conversation_by_turns"),
            QStringLiteral("find_turns_by_content"),
            QStringLiteral("create_branch_from_turn"),
            QStringLiteral("create_branch_from_content"),
            QStringLiteral("switch_to_branch"),
            QStringLiteral("delete_branch"),
            QStringLiteral("list_branches")};
}

namespace {

// The body of invoke(). With `session` nullptr it only checks the arguments, the way Python binds a
// call before running it: a call that would get past the checks returns null and touches nothing.
SdkOutcome dispatch(core::Session* session, core::BranchingSession* adv, bool advanced, const QString& method,
                    const Json& kwargs)
{
    const Json empty = Json::object();
    const Args a{kwargs.isNull() ? empty : kwargs, method};
    QString err;
    auto sig = [&](std::initializer_list<const char16_t*> names) { return Signature(a, names).check(); };

    if (method == u"get_items") {
        if (auto bad = advanced ? sig({u"limit", u"branch_id"}) : sig({u"limit"}))
            return *bad;
        std::optional<qint64> limit;
        std::optional<QString> branch;
        if (!optionalInt(a, u"limit", &limit, &err) || !optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!session)
            return {};
        auto r = adv ? adv->getItems(limit, branch) : session->getItems(limit);
        return convert(r, [](const QList<Json>& items) { return Json(Json::Array(items.cbegin(), items.cend())); });
    }
    if (method == u"add_items") {
        if (auto bad = sig({u"items"}))
            return *bad;
        const Json* items = a.get(u"items");
        if (!items || !items->isArray())
            return SdkOutcome::failed(QStringLiteral("add_items needs \"items\": a JSON array"));
        const auto& arr = items->asArray();
        // A list/object "type" is not a usage error: the SDK raises TypeError from add_items
        // (after opening the file), and so do we.
        if (!session)
            return {};
        return convertVoid(session->addItems(QList<Json>(arr.cbegin(), arr.cend())));
    }
    if (method == u"pop_item") {
        if (auto bad = sig({}))
            return *bad;
        if (!session)
            return {};
        return convert(session->popItem(), [](const std::optional<Json>& item) { return item ? *item : Json(); });
    }
    if (method == u"clear_session") {
        if (auto bad = sig({}))
            return *bad;
        if (!session)
            return {};
        return convertVoid(session->clearSession());
    }

    if (!advanced) {
        return SdkOutcome{SdkOutcome::Kind::Raised, {}, QStringLiteral("AttributeError"),
                          QStringLiteral("'SQLiteSession' object has no attribute '%1'").arg(method)};
    }
    core::BranchingSession* s = adv;

    if (method == u"store_run_usage") {
        if (auto bad = sig({u"usage"}))
            return *bad;
        const Json* u = a.get(u"usage");
        const auto usage = usageFrom(u ? *u : Json(), &err);
        if (!err.isEmpty())
            return SdkOutcome::failed(err);
        if (s)
            (void)s->storeRunUsage(usage); // never raises in the SDK: failures are only logged
        return {SdkOutcome::Kind::Returned, Json(), {}, {}};
    }
    if (method == u"get_session_usage") {
        if (auto bad = sig({u"branch_id"}))
            return *bad;
        std::optional<QString> branch;
        if (!optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!s)
            return {};
        return convert(s->getSessionUsage(branch), [](const std::optional<core::SessionUsage>& u) {
            if (!u)
                return Json();
            Json o = Json::object();
            o.insert(QStringLiteral("requests"), Json(u->requests));
            o.insert(QStringLiteral("input_tokens"), Json(u->inputTokens));
            o.insert(QStringLiteral("output_tokens"), Json(u->outputTokens));
            o.insert(QStringLiteral("total_tokens"), Json(u->totalTokens));
            o.insert(QStringLiteral("total_turns"), Json(u->totalTurns));
            return o;
        });
    }
    if (method == u"get_turn_usage") {
        if (auto bad = sig({u"user_turn_number", u"branch_id"}))
            return *bad;
        std::optional<qint64> turn;
        std::optional<QString> branch;
        if (!optionalInt(a, u"user_turn_number", &turn, &err) || !optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (turn) {
            if (!s)
                return {};
            return convert(s->getTurnUsage(*turn, branch), [](const std::optional<core::TurnUsage>& u) {
                return u ? turnUsageJson(*u, false) : Json::object();
            });
        }
        if (!s)
            return {};
        return convert(s->getTurnUsages(branch), [](const QList<core::TurnUsage>& rows) {
            Json::Array out;
            for (const auto& u : rows)
                out.push_back(turnUsageJson(u, true));
            return Json(std::move(out));
        });
    }
    if (method == u"get_tool_usage") {
        if (auto bad = sig({u"branch_id"}))
            return *bad;
        std::optional<QString> branch;
        if (!optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!s)
            return {};
        return convert(s->getToolUsage(branch), [](const QList<core::ToolUsage>& rows) {
            Json::Array out;
            for (const auto& t : rows)
                out.push_back(Json(Json::Array{optString(t.toolName), Json(t.count), optInt(t.userTurnNumber)}));
            return Json(std::move(out));
        });
    }
    if (method == u"get_conversation_turns") {
        if (auto bad = sig({u"branch_id"}))
            return *bad;
        std::optional<QString> branch;
        if (!optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!s)
            return {};
        return convert(s->getConversationTurns(branch), turnsJson);
    }
    if (method == u"find_turns_by_content") {
        if (auto bad = sig({u"search_term", u"branch_id"}))
            return *bad;
        std::optional<QString> term;
        std::optional<QString> branch;
        if (!optionalString(a, u"search_term", &term, &err) || !optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!term)
            return SdkOutcome::failed(QStringLiteral("find_turns_by_content needs \"search_term\""));
        if (!s)
            return {};
        return convert(s->findTurnsByContent(*term, branch), turnsJson);
    }
    if (method == u"get_conversation_by_turns") {
        if (auto bad = sig({u"branch_id"}))
            return *bad;
        std::optional<QString> branch;
        if (!optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!s)
            return {};
        return convert(s->getConversationByTurns(branch), [](const QList<core::TurnItems>& turns) {
            Json o = Json::object();
            for (const auto& t : turns) {
                Json::Array items;
                for (const auto& k : t.items) {
                    Json item = Json::object();
                    item.insert(QStringLiteral("type"), Json(k.type));
                    item.insert(QStringLiteral("tool_name"), optString(k.toolName));
                    items.push_back(std::move(item));
                }
                // json.dumps turns int keys into strings and a None key into "null".
                o.insert(t.turn ? QString::number(*t.turn) : QStringLiteral("null"), Json(std::move(items)));
            }
            return o;
        });
    }
    if (method == u"create_branch_from_turn") {
        if (auto bad = sig({u"turn_number", u"branch_name"}))
            return *bad;
        std::optional<qint64> turn;
        std::optional<QString> name;
        if (!optionalInt(a, u"turn_number", &turn, &err) || !optionalString(a, u"branch_name", &name, &err))
            return SdkOutcome::failed(err);
        if (!turn)
            return SdkOutcome::failed(QStringLiteral("create_branch_from_turn needs \"turn_number\""));
        if (!s)
            return {};
        return convert(s->createBranchFromTurn(*turn, name), [](const QString& id) { return Json(id); });
    }
    if (method == u"create_branch_from_content") {
        if (auto bad = sig({u"search_term", u"branch_name"}))
            return *bad;
        std::optional<QString> term;
        std::optional<QString> name;
        if (!optionalString(a, u"search_term", &term, &err) || !optionalString(a, u"branch_name", &name, &err))
            return SdkOutcome::failed(err);
        if (!term)
            return SdkOutcome::failed(QStringLiteral("create_branch_from_content needs \"search_term\""));
        if (!s)
            return {};
        return convert(s->createBranchFromContent(*term, name), [](const QString& id) { return Json(id); });
    }
    if (method == u"switch_to_branch") {
        if (auto bad = sig({u"branch_id"}))
            return *bad;
        std::optional<QString> branch;
        if (!optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!branch)
            return SdkOutcome::failed(QStringLiteral("switch_to_branch needs \"branch_id\""));
        if (!s)
            return {};
        return convertVoid(s->switchToBranch(*branch));
    }
    if (method == u"delete_branch") {
        if (auto bad = sig({u"branch_id", u"force"}))
            return *bad;
        std::optional<QString> branch;
        if (!optionalString(a, u"branch_id", &branch, &err))
            return SdkOutcome::failed(err);
        if (!branch)
            return SdkOutcome::failed(QStringLiteral("delete_branch needs \"branch_id\""));
        const Json* force = a.get(u"force");
        if (!s)
            return {};
        return convertVoid(s->deleteBranch(*branch, force ? force->truthy() : false));
    }
    if (method == u"list_branches") {
        if (auto bad = sig({}))
            return *bad;
        if (!s)
            return {};
        return convert(s->listBranches(), [](const QList<core::BranchInfo>& branches) {
            Json::Array out;
            for (const auto& b : branches) {
                Json o = Json::object();
                o.insert(QStringLiteral("branch_id"), Json(b.branchId));
                o.insert(QStringLiteral("message_count"), Json(b.messageCount));
                o.insert(QStringLiteral("user_turns"), Json(b.userTurns));
                o.insert(QStringLiteral("is_current"), Json(b.isCurrent));
                o.insert(QStringLiteral("created_at"), Json(b.createdAt));
                out.push_back(std::move(o));
            }
            return Json(std::move(out));
        });
    }
    return SdkOutcome::failed(QStringLiteral("unknown method '%1' (one of: %2)").arg(method, SdkCall::methods().join(QStringLiteral(", "))));
}

} // namespace

SdkOutcome SdkCall::invoke(core::Session& session, core::BranchingSession* adv, const QString& method, const Json& kwargs)
{
    return dispatch(&session, adv, adv != nullptr, method, kwargs);
}

std::optional<SdkOutcome> SdkCall::checkArguments(bool advanced, const QString& method, const Json& kwargs)
{
    SdkOutcome o = dispatch(nullptr, nullptr, advanced, method, kwargs);
    if (o.kind == SdkOutcome::Kind::Returned)
        return std::nullopt;
    return o;
}

} // namespace tb::app
