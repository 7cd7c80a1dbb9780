"""The store over TLS, with a certificate authority made by the test; credentials never in clear.

A PostgreSQL server with TLS on 127.0.0.1 (tests/pg_server.py, tls=True; its CA
and certificate made by tests/tls_ca.py with ``cryptography``).
"""

import os
import uuid

import psycopg2
import pytest
from pg_server import PgServer, PgUnavailable

from tranquillite_plugin.core.democity import make_demo_city
from tranquillite_plugin.store.backend import StoreError, parse_target, transport_problem
from tranquillite_plugin.store.observatory import Observatory

DB = "tq_tls"


@pytest.fixture(scope="module")
def tls_server():
    try:
        server = PgServer(tls=True).start()
    except PgUnavailable as err:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(str(err), pytrace=False)
        pytest.skip(str(err))
    server.create_database(DB)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def city():
    return make_demo_city(n_events=20, n_facts=300, years=1, seed=8)


def verified(server, schema, **extra):
    schema = f"{schema}_{uuid.uuid4().hex[:8]}"  # a fresh schema: no anchor of an earlier run applies
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return (f"postgresql://postgres@127.0.0.1:{server.port}/{DB}?sslmode=verify-full&sslrootcert={server.ca_file}"
            f"&schema={schema}" + (f"&{query}" if query else ""))


def test_the_store_connects_with_tls_verify_full_and_refuses_another_ca(tls_server, tmp_path):
    from tls_ca import write_other_ca

    target = verified(tls_server, "tls_a")
    with Observatory.create(target) as obs:
        with obs.backend.conn().cursor() as cur:
            cur.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ssl, version = cur.fetchone()
        assert ssl is True and version == "TLSv1.3"
        assert obs.backend.transport_warning() == ""
    other = write_other_ca(str(tmp_path))
    with pytest.raises(StoreError, match="certificate verify failed"):
        Observatory.open(target.replace(tls_server.ca_file, other))


def test_layer_sources_carry_sslmode_and_sslrootcert_and_never_a_password(tls_server, city):
    target = verified(tls_server, "tls_b").replace("postgres@", "postgres:s3cret-pw@")
    with Observatory.create(target) as obs:
        obs.import_layer("axes", city.axes)
        assert "s3cret" not in obs.target
        for kind in ("facts", "events", "sectors", "axes", "cameras"):
            uri = obs.uri(kind)
            assert "sslmode='verify-full'" in uri and f"sslrootcert='{tls_server.ca_file}'" in uri, uri
            assert "password" not in uri and "s3cret" not in uri
        entry = obs.record("x", {"STORE": target})
        assert "s3cret" not in entry.parameters and all("s3cret" not in str(r.as_dict()) for r in obs.audit_rows())


def test_a_pg_service_entry_carries_tls_into_qgis_layers(qgis_app, tls_server, city, tmp_path, monkeypatch):
    from tranquillite_plugin.store.qgis_store import store_layer

    service = tmp_path / "pg_service.conf"
    service.write_text(
        f"[observatoire]\nhost=127.0.0.1\nport={tls_server.port}\ndbname={DB}\nuser=postgres\n"
        f"sslmode=verify-full\nsslrootcert={tls_server.ca_file}\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    target = f"service=observatoire schema=tls_c_{uuid.uuid4().hex[:8]}"
    with Observatory.create(target) as obs:
        obs.import_layer("axes", city.axes)
        layer = store_layer(obs, "axes")
        assert "service='observatoire'" in layer.source() and "password" not in layer.source()
        assert layer.isValid() and layer.featureCount() == len(city.axes)


def _auth_manager(tmp_path):
    from qgis.core import QgsApplication

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("test-master-password", True)
    return manager


def test_an_authcfg_gives_credentials_and_the_trusted_ca_to_the_store_and_its_layers(qgis_app, tranquillite_provider, tls_server,
                                                                                     city, tmp_path):
    import processing
    from qgis.core import QgsAuthMethodConfig
    from qgis.PyQt.QtNetwork import QSslCertificate

    from tranquillite_plugin.store.qgis_store import store_layer

    manager = _auth_manager(tmp_path)
    config = QgsAuthMethodConfig()
    config.setName("observatoire")
    config.setMethod("Basic")
    config.setConfig("username", "postgres")
    config.setConfig("password", "s3cret-pw")
    ok, config = manager.storeAuthenticationConfig(config)
    assert ok
    authcfg = config.id()
    with open(tls_server.ca_file, "rb") as f:
        ca = QSslCertificate(f.read())
    assert manager.storeCertAuthority(ca)
    manager.rebuildCaCertsCache()
    manager.rebuildTrustedCaCertsCache()
    try:
        _with_authcfg(processing, store_layer, tls_server, city, tmp_path, authcfg)
    finally:  # the test profile's authentication database keeps nothing of this run
        manager.removeCertAuthority(ca)
        manager.rebuildCaCertsCache()
        manager.rebuildTrustedCaCertsCache()
        manager.removeAuthenticationConfig(authcfg)


def _with_authcfg(processing, store_layer, tls_server, city, tmp_path, authcfg):
    # no user, no password, no sslrootcert in the target: the authcfg and QGIS's trusted CAs give them
    target = f"postgresql://127.0.0.1:{tls_server.port}/{DB}?sslmode=verify-full&authcfg={authcfg}&schema=tls_d_{uuid.uuid4().hex[:8]}"
    assert parse_target(target).authcfg == authcfg
    with Observatory.create(target) as obs:
        obs.import_layer("axes", city.axes)
        assert f"authcfg={authcfg}" in obs.target
        layer = store_layer(obs, "axes")
        assert f"authcfg={authcfg}" in layer.source() and "s3cret" not in layer.source()
        assert layer.isValid() and layer.featureCount() == len(city.axes)
    source = tmp_path / "axes.gpkg"
    from tranquillite_plugin.store.ogr_io import write_layers

    write_layers(str(source), {"axes": ("axes", city.axes)})
    result = processing.run("tranquillite:importlayer", {"INPUT": f"{source}|layername=axes", "KIND": 3, "STORE": target, "MODE": 1})
    assert "s3cret" not in str(result) and f"authcfg='{authcfg}'" in result["OUTPUT"]
    with Observatory.open(target) as obs:
        assert all("s3cret" not in str(r.as_dict()) for r in obs.audit_rows())


@pytest.mark.parametrize(
    "host, sslmode, warned",
    [("db.prefecture.example", "require", True), ("db.prefecture.example", "", True), ("10.0.0.5", "disable", True),
     ("db.prefecture.example", "verify-ca", False), ("db.prefecture.example", "verify-full", False),
     ("127.0.0.1", "disable", False), ("localhost", "prefer", False), ("::1", "disable", False), ("/var/run/postgresql", "", False)],
)
def test_below_verify_ca_to_another_host_is_warned(host, sslmode, warned):
    text = transport_problem(host, sslmode)
    assert bool(text) == warned and (not warned or host in text)


def test_the_warning_comes_from_the_connection_actually_made(tls_server):
    conn = psycopg2.connect(host="127.0.0.1", port=tls_server.port, user="postgres", dbname=DB, sslmode="require")
    conn.close()
    with Observatory.create(verified(tls_server, "tls_e").replace("verify-full", "require")) as obs:
        assert obs.backend.transport_warning() == ""  # loopback: nobody on the path
