// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "AgentDefinition.h"

#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <initializer_list>

namespace tb::core {

namespace {

/// "tools[0].name", or just "name" at the top level.
QString member(const QString& path, const char16_t* k)
{
    const QString name = QString::fromUtf16(k);
    return path.isEmpty() ? name : path + u'.' + name;
}

Json stringSchema(const QString& description)
{
    Json s = Json::object();
    s.insert(QStringLiteral("type"), Json(QStringLiteral("string")));
    s.insert(QStringLiteral("description"), Json(description));
    return s;
}

/// `{"type": "object", "properties": …, "required": […], "additionalProperties": false}`: the shape
/// strict function schemas need (every property required, nothing else allowed).
Json objectSchema(Json properties)
{
    Json::Array required;
    for (const Json::Member& m : properties.asObject())
        required.push_back(Json(m.first));
    Json s = Json::object();
    s.insert(QStringLiteral("type"), Json(QStringLiteral("object")));
    s.insert(QStringLiteral("properties"), std::move(properties));
    s.insert(QStringLiteral("required"), Json(std::move(required)));
    s.insert(QStringLiteral("additionalProperties"), Json(false));
    return s;
}

ToolBinding builtinBinding(const QString& name, const QString& description, Json parameters)
{
    ToolBinding b;
    b.definition.name = name;
    b.definition.description = description;
    b.definition.parameters = std::move(parameters);
    b.definition.strict = true;
    b.implementation.kind = ToolImplementation::Kind::Builtin;
    b.implementation.builtin = name;
    return b;
}

bool isValidToolName(const QString& name)
{
    // The OpenAI function-name rule; endpoints reject anything else.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return re.match(name).hasMatch();
}

/// Strict reader for the agent file: remembers the first problem, naming the JSON path.
class Reader
{
public:
    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] Error error() const
    {
        return Error::make(Error::Code::Format, QStringLiteral("Invalid agent definition: %1").arg(m_error));
    }

    void fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }

    bool object(const Json& value, const QString& path)
    {
        if (!value.isObject())
            fail(QStringLiteral("%1 must be an object").arg(path.isEmpty() ? QStringLiteral("the agent") : path));
        return value.isObject();
    }

    void allowOnly(const Json& obj, const QString& path, std::initializer_list<const char16_t*> keys)
    {
        for (const Json::Member& m : obj.asObject()) {
            bool known = false;
            for (const char16_t* k : keys)
                known = known || m.first == QStringView(k);
            if (!known && path.isEmpty())
                fail(QStringLiteral("unknown key \"%1\"").arg(m.first));
            else if (!known)
                fail(QStringLiteral("unknown key \"%1\" in %2").arg(m.first, path));
        }
    }

    QString string(const Json& obj, const char16_t* k, const QString& path, bool required)
    {
        const Json* v = obj.find(k);
        if (!v) {
            if (required)
                fail(QStringLiteral("%1 is missing").arg(member(path, k)));
            return {};
        }
        if (!v->isString()) {
            fail(QStringLiteral("%1 must be a string").arg(member(path, k)));
            return {};
        }
        return v->toString();
    }

    bool boolean(const Json& obj, const char16_t* k, const QString& path, bool fallback)
    {
        const Json* v = obj.find(k);
        if (!v)
            return fallback;
        if (!v->isBool()) {
            fail(QStringLiteral("%1 must be true or false").arg(member(path, k)));
            return fallback;
        }
        return v->toBool();
    }

private:
    QString m_error;
};

} // namespace

QString ToolImplementation::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Builtin:
        return QStringLiteral("builtin");
    case Kind::Canned:
        return QStringLiteral("canned");
    case Kind::Command:
        return QStringLiteral("command");
    case Kind::AskAnalyst:
        return QStringLiteral("ask_analyst");
    case Kind::Replay:
        return QStringLiteral("replay");
    }
    return QStringLiteral("builtin");
}

std::optional<ToolImplementation::Kind> ToolImplementation::kindFromName(QStringView name)
{
    for (Kind k : {Kind::Builtin, Kind::Canned, Kind::Command, Kind::AskAnalyst, Kind::Replay}) {
        if (name == kindName(k))
            return k;
    }
    return std::nullopt;
}

QStringList AgentDefinition::builtinToolNames()
{
    return {QStringLiteral("check_order_status"), QStringLiteral("add_task"), QStringLiteral("list_tasks"),
            QStringLiteral("complete_task")};
}

std::optional<ToolBinding> AgentDefinition::builtinTool(QStringView name)
{
    if (name == u"check_order_status") {
        Json props = Json::object();
        props.insert(QStringLiteral("order_id"), stringSchema(QStringLiteral("The order number, e.g. ORD-123")));
        return builtinBinding(name.toString(),
                              QStringLiteral("Look up the shipping status of an order by its order number."),
                              objectSchema(std::move(props)));
    }
    if (name == u"add_task") {
        Json props = Json::object();
        props.insert(QStringLiteral("title"), stringSchema(QStringLiteral("What needs to be done, in a few words")));
        return builtinBinding(
            name.toString(),
            QStringLiteral("Add a follow-up task for this conversation. Returns the new task's number."),
            objectSchema(std::move(props)));
    }
    if (name == u"list_tasks") {
        return builtinBinding(name.toString(),
                              QStringLiteral("List the follow-up tasks of this conversation, open and done."),
                              objectSchema(Json::object()));
    }
    if (name == u"complete_task") {
        Json id = Json::object();
        id.insert(QStringLiteral("type"), Json(QStringLiteral("integer")));
        id.insert(QStringLiteral("description"), Json(QStringLiteral("The task number from add_task or list_tasks")));
        Json props = Json::object();
        props.insert(QStringLiteral("task_id"), std::move(id));
        return builtinBinding(name.toString(), QStringLiteral("Mark a follow-up task of this conversation as done."),
                              objectSchema(std::move(props)));
    }
    return std::nullopt;
}

AgentDefinition AgentDefinition::defaultSupportAgent()
{
    AgentDefinition a;
    a.name = QStringLiteral("Customer support agent");
    a.instructions =
        QStringLiteral("You are a friendly customer support agent. Use check_order_status to look up orders. "
                       "Keep track of follow-ups with add_task, list_tasks and complete_task. Answer briefly.");
    a.modelSettings.model = QStringLiteral("threadbench-demo");
    a.endpointProfile = QStringLiteral("demo");
    for (const QString& name : builtinToolNames())
        a.tools.push_back(*builtinTool(name));
    return a;
}

const ToolBinding* AgentDefinition::findTool(QStringView toolName) const
{
    for (const ToolBinding& t : tools) {
        if (t.definition.name == toolName)
            return &t;
    }
    return nullptr;
}

Json AgentDefinition::toJson() const
{
    Json settings = Json::object();
    settings.insert(QStringLiteral("model"), Json(modelSettings.model));
    if (modelSettings.temperature)
        settings.insert(QStringLiteral("temperature"), Json(*modelSettings.temperature));
    if (modelSettings.maxOutputTokens)
        settings.insert(QStringLiteral("max_output_tokens"), Json(*modelSettings.maxOutputTokens));
    settings.insert(QStringLiteral("tool_choice"), Json(modelSettings.toolChoice));
    settings.insert(QStringLiteral("parallel_tool_calls"), Json(modelSettings.parallelToolCalls));

    Json::Array toolArray;
    for (const ToolBinding& t : tools) {
        const ToolImplementation& impl = t.implementation;
        Json i = Json::object();
        i.insert(QStringLiteral("kind"), Json(ToolImplementation::kindName(impl.kind)));
        switch (impl.kind) {
        case ToolImplementation::Kind::Builtin:
            i.insert(QStringLiteral("builtin"), Json(impl.builtin));
            break;
        case ToolImplementation::Kind::Canned:
            i.insert(QStringLiteral("output"), Json(impl.cannedOutput));
            break;
        case ToolImplementation::Kind::Command: {
            Json::Array args;
            for (const QString& s : impl.arguments)
                args.push_back(Json(s));
            i.insert(QStringLiteral("program"), Json(impl.program));
            i.insert(QStringLiteral("arguments"), Json(std::move(args)));
            i.insert(QStringLiteral("timeout_ms"), Json(impl.timeoutMs));
            i.insert(QStringLiteral("working_directory"), Json(impl.workingDirectory));
            break;
        }
        case ToolImplementation::Kind::AskAnalyst:
            i.insert(QStringLiteral("prompt"), Json(impl.prompt));
            break;
        case ToolImplementation::Kind::Replay:
            break;
        }
        Json tool = Json::object();
        tool.insert(QStringLiteral("name"), Json(t.definition.name));
        tool.insert(QStringLiteral("description"), Json(t.definition.description));
        tool.insert(QStringLiteral("parameters"), t.definition.parameters);
        tool.insert(QStringLiteral("strict"), Json(t.definition.strict));
        tool.insert(QStringLiteral("implementation"), std::move(i));
        toolArray.push_back(std::move(tool));
    }

    Json root = Json::object();
    root.insert(QStringLiteral("format"), Json(formatTag()));
    root.insert(QStringLiteral("name"), Json(name));
    root.insert(QStringLiteral("instructions"), Json(instructions));
    root.insert(QStringLiteral("model_settings"), std::move(settings));
    root.insert(QStringLiteral("endpoint_profile"), Json(endpointProfile));
    root.insert(QStringLiteral("tools"), Json(std::move(toolArray)));
    return root;
}

Result<AgentDefinition> AgentDefinition::fromJson(const Json& json)
{
    Reader r;
    const QString top; // members of the top level are named without a prefix
    if (!r.object(json, top))
        return r.error();
    const Json* format = json.find(u"format");
    if (!format || !format->isString())
        return Error::make(Error::Code::Format, QStringLiteral("Not a Threadbench agent file (no \"format\" tag)"));
    if (format->toString() != formatTag()) {
        return Error::make(Error::Code::Format,
                           QStringLiteral("Unsupported agent format \"%1\" (this version reads \"%2\")")
                               .arg(format->toString(), formatTag()));
    }
    r.allowOnly(json, top, {u"format", u"name", u"instructions", u"model_settings", u"endpoint_profile", u"tools"});

    AgentDefinition a;
    a.name = r.string(json, u"name", top, true);
    a.instructions = r.string(json, u"instructions", top, false);
    a.endpointProfile = r.string(json, u"endpoint_profile", top, false);

    if (const Json* ms = json.find(u"model_settings")) {
        const QString path = QStringLiteral("model_settings");
        if (r.object(*ms, path)) {
            r.allowOnly(*ms, path,
                        {u"model", u"temperature", u"max_output_tokens", u"tool_choice", u"parallel_tool_calls"});
            a.modelSettings.model = r.string(*ms, u"model", path, false);
            a.modelSettings.toolChoice = r.string(*ms, u"tool_choice", path, false);
            a.modelSettings.parallelToolCalls = r.boolean(*ms, u"parallel_tool_calls", path, true);
            if (const Json* t = ms->find(u"temperature"); t && !t->isNull()) {
                if (t->isNumber() && !t->isBool())
                    a.modelSettings.temperature = t->toDouble();
                else
                    r.fail(QStringLiteral("model_settings.temperature must be a number"));
            }
            if (const Json* m = ms->find(u"max_output_tokens"); m && !m->isNull()) {
                if (m->isInt() && m->toInt() > 0)
                    a.modelSettings.maxOutputTokens = m->toInt();
                else
                    r.fail(QStringLiteral("model_settings.max_output_tokens must be a positive integer"));
            }
        }
    }

    if (const Json* tools = json.find(u"tools")) {
        if (!tools->isArray())
            r.fail(QStringLiteral("tools must be a list"));
        qsizetype index = 0;
        for (const Json& t : tools->asArray()) {
            const QString path = QStringLiteral("tools[%1]").arg(index++);
            if (!r.object(t, path))
                break;
            r.allowOnly(t, path, {u"name", u"description", u"parameters", u"strict", u"implementation"});
            ToolBinding b;
            b.definition.name = r.string(t, u"name", path, true);
            b.definition.description = r.string(t, u"description", path, false);
            b.definition.strict = r.boolean(t, u"strict", path, false);
            if (const Json* p = t.find(u"parameters")) {
                if (r.object(*p, path + QStringLiteral(".parameters")))
                    b.definition.parameters = *p;
            }
            const Json* impl = t.find(u"implementation");
            const QString ipath = path + QStringLiteral(".implementation");
            if (!impl) {
                r.fail(QStringLiteral("%1 is missing").arg(ipath));
            } else if (r.object(*impl, ipath)) {
                const QString kindName = r.string(*impl, u"kind", ipath, true);
                const auto kind = ToolImplementation::kindFromName(kindName);
                if (!kind) {
                    r.fail(QStringLiteral("%1.kind \"%2\" is not one of builtin, canned, command, ask_analyst, replay")
                               .arg(ipath, kindName));
                } else {
                    ToolImplementation& ti = b.implementation;
                    ti.kind = *kind;
                    switch (*kind) {
                    case ToolImplementation::Kind::Builtin:
                        r.allowOnly(*impl, ipath, {u"kind", u"builtin"});
                        ti.builtin = r.string(*impl, u"builtin", ipath, true);
                        break;
                    case ToolImplementation::Kind::Canned:
                        r.allowOnly(*impl, ipath, {u"kind", u"output"});
                        ti.cannedOutput = r.string(*impl, u"output", ipath, true);
                        break;
                    case ToolImplementation::Kind::Command: {
                        r.allowOnly(*impl, ipath,
                                    {u"kind", u"program", u"arguments", u"timeout_ms", u"working_directory"});
                        ti.program = r.string(*impl, u"program", ipath, true);
                        ti.workingDirectory = r.string(*impl, u"working_directory", ipath, false);
                        if (const Json* args = impl->find(u"arguments")) {
                            bool okArgs = args->isArray();
                            for (const Json& s : args->asArray()) {
                                okArgs = okArgs && s.isString();
                                ti.arguments << s.toString();
                            }
                            if (!okArgs)
                                r.fail(QStringLiteral("%1.arguments must be a list of strings").arg(ipath));
                        }
                        if (const Json* to = impl->find(u"timeout_ms")) {
                            if (to->isInt())
                                ti.timeoutMs = to->toInt();
                            else
                                r.fail(QStringLiteral("%1.timeout_ms must be an integer").arg(ipath));
                        }
                        break;
                    }
                    case ToolImplementation::Kind::AskAnalyst:
                        r.allowOnly(*impl, ipath, {u"kind", u"prompt"});
                        ti.prompt = r.string(*impl, u"prompt", ipath, false);
                        break;
                    case ToolImplementation::Kind::Replay:
                        r.allowOnly(*impl, ipath, {u"kind"});
                        break;
                    }
                }
            }
            a.tools.push_back(std::move(b));
        }
    }
    if (!r.ok())
        return r.error();
    if (auto v = a.validate(); !v)
        return v.error();
    return a;
}

Result<void> AgentDefinition::validate() const
{
    auto bad = [](const QString& m) {
        return Error::make(Error::Code::Format, QStringLiteral("Invalid agent definition: %1").arg(m));
    };
    if (name.trimmed().isEmpty())
        return bad(QStringLiteral("the agent has no name"));
    if (modelSettings.maxOutputTokens && *modelSettings.maxOutputTokens <= 0)
        return bad(QStringLiteral("max output tokens must be positive"));
    QSet<QString> seen;
    for (const ToolBinding& t : tools) {
        const QString& n = t.definition.name;
        if (!isValidToolName(n))
            return bad(QStringLiteral("tool name \"%1\" must be 1-64 letters, digits, '_' or '-'").arg(n));
        if (seen.contains(n))
            return bad(QStringLiteral("tool \"%1\" is defined twice").arg(n));
        seen.insert(n);
        if (!t.definition.parameters.isObject())
            return bad(QStringLiteral("the parameters of tool \"%1\" must be a JSON schema object").arg(n));
        const ToolImplementation& impl = t.implementation;
        switch (impl.kind) {
        case ToolImplementation::Kind::Builtin:
            if (!builtinToolNames().contains(impl.builtin)) {
                return bad(QStringLiteral("tool \"%1\" names an unknown built-in \"%2\" (known: %3)")
                               .arg(n, impl.builtin, builtinToolNames().join(QStringLiteral(", "))));
            }
            break;
        case ToolImplementation::Kind::Command:
            if (impl.program.trimmed().isEmpty())
                return bad(QStringLiteral("tool \"%1\" has no program to run").arg(n));
            if (impl.timeoutMs <= 0)
                return bad(QStringLiteral("the timeout of tool \"%1\" must be positive").arg(n));
            break;
        case ToolImplementation::Kind::Canned:
        case ToolImplementation::Kind::AskAnalyst:
        case ToolImplementation::Kind::Replay:
            break;
        }
    }
    return {};
}

QByteArray AgentDefinition::toJsonText() const
{
    Json::DumpOptions o;
    o.ensureAscii = false;
    o.indent = 2;
    return toJson().dump(o) + '\n';
}

Result<AgentDefinition> AgentDefinition::fromJsonText(QByteArrayView utf8)
{
    auto parsed = Json::parse(utf8);
    if (!parsed)
        return Error::make(Error::Code::Format, QStringLiteral("Not valid JSON: %1").arg(parsed.error().message));
    return fromJson(*parsed);
}

Result<void> AgentDefinition::saveToFile(const QString& path) const
{
    if (auto v = validate(); !v)
        return v;
    // QSaveFile: an interrupted export never leaves half a file behind.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return Error::make(Error::Code::Storage, QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    const QByteArray text = toJsonText();
    if (f.write(text) != text.size() || !f.commit())
        return Error::make(Error::Code::Storage, QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

Result<AgentDefinition> AgentDefinition::loadFromFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(Error::Code::Storage, QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()));
    auto a = fromJsonText(f.readAll());
    if (!a)
        return Error::make(a.error().code, QStringLiteral("%1: %2").arg(path, a.error().message));
    return a;
}

bool operator==(const AgentDefinition& a, const AgentDefinition& b)
{
    // The serialised form covers every field, in a fixed order.
    return a.toJson().dump() == b.toJson().dump();
}

} // namespace tb::core
