from shop.middleware import request_id_var


def request_id_forget(sender, **kwargs) -> None:
    """After a request (and its log lines), lines belong to no request until the next one."""
    request_id_var.set("-")
