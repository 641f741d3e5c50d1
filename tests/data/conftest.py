def pytest_configure(config):
    config.addinivalue_line(
        "markers", "oracle: runs the real rustc (via tests/oracle/rustc_oracle.py) and compares its verdict")
