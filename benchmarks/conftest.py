"""pytest markers of test_bench.py: ctest runs bench.smoke (-m smoke) and bench.cli (-m cli)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: every workload once at a tiny size, JSON checked")
    config.addinivalue_line("markers", "cli: usage and I/O errors of the flags")
