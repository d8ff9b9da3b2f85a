// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench authors
#include "ApiKeyStore.h"

#include <QEventLoop>
#include <QTimer>

#ifdef TB_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace tb::app {

using core::Error;

namespace {

const QString kService = QStringLiteral("Threadbench");

QString keychainKey(const QString& profileName)
{
    return QStringLiteral("endpoint/") + profileName;
}

#ifdef TB_HAVE_KEYCHAIN
// Keychain jobs are asynchronous; a short local loop with a timeout keeps callers simple and
// never hangs on a machine without a secret service (CI, a bare SSH session).
bool runJob(QKeychain::Job& job)
{
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer::singleShot(3000, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    if (!done)
        loop.exec();
    return done;
}
#endif

} // namespace

bool ApiKeyStore::keychainAvailable()
{
#ifdef TB_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

core::Result<QString> ApiKeyStore::resolve(const net::EndpointProfile& profile)
{
    if (!profile.apiKeyEnv.isEmpty()) {
        const QString fromEnv = qEnvironmentVariable(profile.apiKeyEnv.toLocal8Bit().constData());
        if (!fromEnv.isEmpty())
            return fromEnv;
    }
#ifdef TB_HAVE_KEYCHAIN
    if (profile.apiKeyInKeychain) {
        QKeychain::ReadPasswordJob job(kService);
        job.setKey(keychainKey(profile.name));
        if (runJob(job) && job.error() == QKeychain::NoError && !job.textData().isEmpty())
            return job.textData();
    }
#endif
    if (profile.apiKeyRequired) {
        QString where = profile.apiKeyEnv.isEmpty() ? QString() : QStringLiteral("set %1").arg(profile.apiKeyEnv);
        if (profile.apiKeyInKeychain)
            where += (where.isEmpty() ? QString() : QStringLiteral(" or ")) + QStringLiteral("save it in Settings → Endpoints");
        return Error::make(Error::Code::Auth, QStringLiteral("No API key for endpoint profile '%1'%2")
                                                  .arg(profile.name, where.isEmpty() ? QString() : QStringLiteral(": ") + where));
    }
    return QString();
}

core::Result<void> ApiKeyStore::store(const QString& profileName, const QString& key)
{
#ifdef TB_HAVE_KEYCHAIN
    QKeychain::WritePasswordJob job(kService);
    job.setKey(keychainKey(profileName));
    job.setTextData(key);
    if (!runJob(job))
        return Error::make(Error::Code::Storage, QStringLiteral("The keychain did not answer"));
    if (job.error() != QKeychain::NoError)
        return Error::make(Error::Code::Storage, QStringLiteral("Keychain: %1").arg(job.errorString()));
    return {};
#else
    Q_UNUSED(profileName)
    Q_UNUSED(key)
    return Error::make(Error::Code::Storage, QStringLiteral("This build has no keychain support; use an environment variable"));
#endif
}

core::Result<void> ApiKeyStore::remove(const QString& profileName)
{
#ifdef TB_HAVE_KEYCHAIN
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(keychainKey(profileName));
    if (!runJob(job))
        return Error::make(Error::Code::Storage, QStringLiteral("The keychain did not answer"));
    return {};
#else
    Q_UNUSED(profileName)
    return {};
#endif
}

} // namespace tb::app
