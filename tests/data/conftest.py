def pytest_configure(config):
    config.addinivalue_line(
        "markers", "oracle: runs the real rustc (via /work/shared/oracle) and compares its verdict")
