"""Policy levers: one module per lever, all behind :class:`sim.policies.base.Policy`.

:func:`build_policies` turns a scenario's ``policies:`` section into the levers
in force. Each lever's configuration is validated with the scenario
(``sim.scenario.levers``); its behaviour lives in its own module here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from sim.policies.base import Context, Policy

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

__all__ = ["build_policies", "LEVERS", "RULES"]

#: Rules always in force, each configured by a section of the scenario (not of ``policies:``): name ->
#: (scenario section, module, class). They come first, so their income is counted first.
RULES: dict[str, tuple[str, str, str]] = {
    "allowance": ("allowances", "sim.policies.allowance", "AllowancePolicy"),
}
#: Lever name in a scenario -> (module, class) implementing it.
LEVERS: dict[str, tuple[str, str]] = {
    "combined_programme": ("sim.policies.combined_programme", "CombinedProgrammePolicy"),
    "pathway": ("sim.policies.pathway", "PathwayPolicy"),
    "childcare": ("sim.policies.childcare", "ChildcarePolicy"),
    "allowance_incentive": ("sim.policies.allowance", "AllowanceIncentivePolicy"),
    "af_coordination": ("sim.policies.af_coordination", "AfCoordinationPolicy"),
    "information_transfer": ("sim.policies.information_transfer", "InformationTransferPolicy"),
    "activity_requirement": ("sim.policies.activity_requirement", "ActivityRequirementPolicy"),
    "benefit_cap": ("sim.policies.benefit_cap", "BenefitCapPolicy"),
    "job_premium": ("sim.policies.job_premium", "JobPremiumPolicy"),
}


def build_policies(scenario: Scenario, context: Context | None = None) -> list[Policy]:
    """The rules always in force, then the levers the scenario switches on, in a fixed order.

    Args:
        scenario: the validated scenario.
        context: the population and calendar of a replication; ``None`` when only
            the after-run (accounting) hooks will be used.
    """
    built = [
        getattr(import_module(module), cls)(getattr(scenario, part), scenario, context)
        for part, module, cls in RULES.values()
    ]
    section = getattr(scenario, "policies", None)
    if section is None:
        return built
    for name, (module, cls) in LEVERS.items():
        config = getattr(section, name, None)
        if config is None:
            continue
        policy_class = getattr(import_module(module), cls)
        built.append(policy_class(config, scenario, context))
    return built
