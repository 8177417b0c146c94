"""pytest markers of test_bench.py: ctest runs bench.smoke (-m smoke), bench.cli (-m cli) and
bench.postgres (-m postgres, under tests/postgres/with_cluster.sh)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: every workload once at a tiny size, JSON checked")
    config.addinivalue_line("markers", "cli: usage and I/O errors of the flags")
    config.addinivalue_line("markers", "postgres: lifecycle-durable on a throwaway cluster's "
                            "partition (WORKFLOW_PG_CONNINFO)")
