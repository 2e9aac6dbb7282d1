#!/usr/bin/python3
"""`torchrun`, working on Debian 12: python3 python/torchrun.py --nproc_per_node=N python/train.py ...

Debian 12's torchrun (PyTorch 1.13 on Python 3.11) stops before starting any worker with
"AttributeError: 'NoneType' object has no attribute 'get'": its Std.from_str("0") finds no
member by iterating an IntFlag, which Python 3.11 no longer yields for 0 or combined flags
(fixed upstream in PyTorch 2.0). This is torchrun with that one function mended, only where it
is broken; every torchrun option works as documented. Elsewhere plain `torchrun` does the same.
"""
import re
import sys

from torch.distributed.elastic.multiprocessing import api


def _from_str(cls, vm):
    if re.match(api._VALUE_REGEX, vm):
        return cls(int(vm))
    if re.match(api._MAPPING_REGEX, vm):
        return {int(i): cls(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(f"{vm} does not match: <{api._VALUE_REGEX}> or <{api._MAPPING_REGEX}>")


if api.Std.from_str("0") is None:
    api.Std.from_str = classmethod(_from_str)

from torch.distributed.run import main  # noqa: E402  (after the mend: it imports Std)

if __name__ == "__main__":
    sys.exit(main())
