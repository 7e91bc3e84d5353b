"""ECS emulator layer over moto: the service scheduler, task lifecycle, circuit breaker and
task logs that moto's ECS lacks. See emulator/README.md.

`ecs_emulator.install.install()` patches moto in this process and starts the ticker;
`ecs_emulator.compat.problem()` checks the moto installation first (it imports no moto).
"""
