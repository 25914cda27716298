"""FHIR R4B export of referrals (ServiceRequest + Task) and individual service plans (CarePlan).

R4B, as the Belgian federal FHIR profiles are written against R4, with which R4B is wire-compatible
for these resources; `fhir.resources.R4B` validates every resource as it is built.
"""
