"""Writes a BPMN file with its diagram (DI) from a compact description of elements and flows.

The .bpmn files are the source of truth and can be opened in Camunda Modeler; this only saves
hand-placing shapes when a model is first written. Usage: see etcd_restore() and etcd_migration().
"""
import sys
from xml.sax.saxutils import escape

SIZES = {"start": (36, 36), "end": (36, 36), "task": (100, 80), "user": (100, 80), "call": (100, 80),
         "gateway": (50, 50), "boundary": (36, 36)}


class Model:
    def __init__(self, process_id, name, documentation):
        self.process_id, self.name, self.documentation = process_id, name, documentation
        self.elements, self.flows, self.errors = [], [], []

    def add(self, kind, id, name, x, y, parent=None, **extra):
        w, h = extra.pop("size", SIZES.get(kind, (100, 80)))
        self.elements.append(dict(kind=kind, id=id, name=name, x=x, y=y, w=w, h=h, parent=parent, **extra))

    def flow(self, id, source, target, points, condition=None, default=False, name=None):
        self.flows.append(dict(id=id, source=source, target=target, points=points, condition=condition,
                               default=default, name=name))

    def element(self, id):
        return next(e for e in self.elements if e["id"] == id)

    def xml(self):
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
               '                  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
               '                  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"',
               '                  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
               '                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
               '                  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
               '                  xmlns:modeler="http://camunda.org/schema/modeler/1.0"',
               f'                  id="Definitions_{self.process_id.replace("-", "_")}"',
               '                  targetNamespace="https://lifeboat.dev/bpmn"',
               '                  exporter="Lifeboat" exporterVersion="0.1"',
               '                  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">']
        for error_id, name, code in self.errors:
            out.append(f'  <bpmn:error id="{error_id}" name="{escape(name)}" errorCode="{code}" />')
        out.append(f'  <bpmn:process id="{self.process_id}" name="{escape(self.name)}" isExecutable="true">')
        out.append(f'    <bpmn:documentation>{escape(self.documentation)}</bpmn:documentation>')
        out.append('    <bpmn:extensionElements>')
        out.append('      <zeebe:executionListeners>')
        out.append('        <zeebe:executionListener eventType="end" retries="3" type="lifeboat.finish-run" />')
        out.append('      </zeebe:executionListeners>')
        out.append('    </bpmn:extensionElements>')
        self._elements(out, None, "    ")
        out.append('  </bpmn:process>')
        out.append('  <bpmndi:BPMNDiagram id="Diagram_1">')
        out.append(f'    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="{self.process_id}">')
        for e in self.elements:
            expanded = ' isExpanded="true"' if e["kind"] == "sub" else ''
            marker = ' isMarkerVisible="true"' if e["kind"] == "gateway" else ''
            out.append(f'      <bpmndi:BPMNShape id="{e["id"]}_di" bpmnElement="{e["id"]}"{expanded}{marker}>')
            out.append(f'        <dc:Bounds x="{e["x"]}" y="{e["y"]}" width="{e["w"]}" height="{e["h"]}" />')
            if e["kind"] in ("start", "end", "boundary", "gateway") and e["name"]:
                out.append('        <bpmndi:BPMNLabel>')
                out.append(f'          <dc:Bounds x="{e["x"] - 27}" y="{e["y"] + e["h"] + 4}" width="90" height="27" />')
                out.append('        </bpmndi:BPMNLabel>')
            out.append('      </bpmndi:BPMNShape>')
        for f in self.flows:
            out.append(f'      <bpmndi:BPMNEdge id="{f["id"]}_di" bpmnElement="{f["id"]}">')
            for x, y in f["points"]:
                out.append(f'        <di:waypoint x="{x}" y="{y}" />')
            out.append('      </bpmndi:BPMNEdge>')
        out.append('    </bpmndi:BPMNPlane>')
        out.append('  </bpmndi:BPMNDiagram>')
        out.append('</bpmn:definitions>')
        return "\n".join(out) + "\n"

    def _elements(self, out, parent, indent):
        for e in [e for e in self.elements if e["parent"] == parent]:
            incoming = [f["id"] for f in self.flows if f["target"] == e["id"]]
            outgoing = [f["id"] for f in self.flows if f["source"] == e["id"]]
            tag = {"start": "startEvent", "end": "endEvent", "task": "serviceTask", "user": "userTask",
                   "call": "callActivity", "gateway": "exclusiveGateway", "boundary": "boundaryEvent",
                   "sub": "subProcess"}[e["kind"]]
            attrs = f'id="{e["id"]}"'
            if e["name"]:
                attrs += f' name="{escape(e["name"])}"'
            if e["kind"] == "boundary":
                attrs += f' attachedToRef="{e["attached"]}"'
            if e["kind"] == "gateway":
                default = next((f["id"] for f in self.flows if f["source"] == e["id"] and f["default"]), None)
                if default:
                    attrs += f' default="{default}"'
            out.append(f'{indent}<bpmn:{tag} {attrs}>')
            if e.get("doc"):
                out.append(f'{indent}  <bpmn:documentation>{escape(e["doc"])}</bpmn:documentation>')
            ext = []
            if e["kind"] == "task":
                retries = e.get("retries", 3)
                ext.append(f'<zeebe:taskDefinition type="{e["type"]}" retries="{retries}" />')
                if e.get("headers"):
                    ext.append('<zeebe:taskHeaders>')
                    for k, v in e["headers"].items():
                        ext.append(f'  <zeebe:header key="{k}" value="{v}" />')
                    ext.append('</zeebe:taskHeaders>')
            if e["kind"] == "boundary" and not e.get("timer"):
                # Variables of a thrown error are local to the catch event: hand the reason to the process.
                ext.append('<zeebe:ioMapping>')
                ext.append('  <zeebe:output source="=failure" target="failure" />')
                ext.append('</zeebe:ioMapping>')
            if e["kind"] == "user":
                ext.append('<zeebe:assignmentDefinition candidateGroups="approvers" />')
            if e["kind"] == "call":
                ext.append(f'<zeebe:calledElement processId="{e["called"]}" propagateAllChildVariables="false" />')
                ext.append('<zeebe:ioMapping>')
                # Steps of a called process are recorded under this path, so a model called twice never collides.
                step_path = f'=(if stepPath = null then "" else stepPath) + "{e["id"]}/"'
                ext.append(f'  <zeebe:input source="{escape(step_path, {chr(34): "&quot;"})}" target="stepPath" />')
                for target, source in e.get("inputs", []):
                    ext.append(f'  <zeebe:input source="{escape(source, {chr(34): "&quot;"})}" target="{target}" />')
                for target in e.get("outputs", []):
                    ext.append(f'  <zeebe:output source="={target}" target="{target}" />')
                ext.append('</zeebe:ioMapping>')
            if ext:
                out.append(f'{indent}  <bpmn:extensionElements>')
                out.extend(f'{indent}    {line}' for line in ext)
                out.append(f'{indent}  </bpmn:extensionElements>')
            for i in incoming:
                out.append(f'{indent}  <bpmn:incoming>{i}</bpmn:incoming>')
            for o in outgoing:
                out.append(f'{indent}  <bpmn:outgoing>{o}</bpmn:outgoing>')
            if e["kind"] == "boundary":
                if e.get("timer"):
                    out.append(f'{indent}  <bpmn:timerEventDefinition id="{e["id"]}_Timer">')
                    out.append(f'{indent}    <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{escape(e["timer"])}</bpmn:timeDuration>')
                    out.append(f'{indent}  </bpmn:timerEventDefinition>')
                else:
                    ref = f' errorRef="{e["error"]}"' if e.get("error") else ''
                    out.append(f'{indent}  <bpmn:errorEventDefinition id="{e["id"]}_Error"{ref} />')
            if e["kind"] == "sub":
                self._elements(out, e["id"], indent + "  ")
            out.append(f'{indent}</bpmn:{tag}>')
        for f in [f for f in self.flows if self.element(f["source"])["parent"] == parent]:
            name = f' name="{escape(f["name"])}"' if f["name"] else ''
            if f["condition"]:
                out.append(f'{indent}<bpmn:sequenceFlow id="{f["id"]}"{name} sourceRef="{f["source"]}" targetRef="{f["target"]}">')
                out.append(f'{indent}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(f["condition"])}</bpmn:conditionExpression>')
                out.append(f'{indent}</bpmn:sequenceFlow>')
            else:
                out.append(f'{indent}<bpmn:sequenceFlow id="{f["id"]}"{name} sourceRef="{f["source"]}" targetRef="{f["target"]}" />')


def right(e):
    return (e["x"] + e["w"], e["y"] + e["h"] // 2)


def left(e):
    return (e["x"], e["y"] + e["h"] // 2)


def bottom(e):
    return (e["x"] + e["w"] // 2, e["y"] + e["h"])


def top(e):
    return (e["x"] + e["w"] // 2, e["y"])


def straight(m, id, a, b, **kw):
    m.flow(id, a, b, [right(m.element(a)), left(m.element(b))], **kw)


# A step of the protected scope: its final failure is a BPMN error the scope's boundary catches.
IN_SCOPE = {"lifeboat.on-failure": "error"}
# A step that destroys or replaces data: bpmn/ is checked so that it is reached only through an
# approval (or the "target proven empty" gateway) inside a scope whose error boundary rolls back.
DESTRUCTIVE = {"lifeboat.on-failure": "error", "lifeboat.destructive": "true"}


def restore_target():
    m = Model("restore-target", "restore onto a target",
              "The restore skeleton every platform's destructive restore calls: checks before anyone is asked, the"
              " artifact put in place and its checksum verified there, the evidence, four-eyes approval (none when the"
              " checks proved the target empty), then stop, save the existing data aside, apply, start and verify in"
              " one protected scope; any failure there rolls back and verifies, and the run ends with an explicit"
              " outcome. The platform comes from the 'platform' variable.")
    m.add("start", "StartEvent_RestoreRequested", "Restore requested", 100, 182)
    m.add("gateway", "Gateway_Resumed", "Resumed at the approval?", 170, 175)
    m.add("task", "Task_CheckTarget", "Check the target", 260, 160, type="restore.check-target",
          doc="The platform's preconditions and the facts the approver sees; proves the target empty where it is.")
    m.add("boundary", "Event_TargetRefused", "Refused", 292, 222, attached="Task_CheckTarget")
    m.add("task", "Task_PrepareArtifact", "Put the artifact in place and verify it", 410, 160,
          type="restore.prepare-artifact",
          doc="The artifact goes where the restore reads it; its checksum is verified there.")
    m.add("boundary", "Event_ArtifactRefused", "Artifact refused", 442, 222, attached="Task_PrepareArtifact")
    m.add("task", "Task_RecordRefusal", "Record the refusal", 360, 320, type="restore.finish")
    m.add("end", "EndEvent_Refused", "Refused, nothing changed", 392, 462)
    m.add("gateway", "Gateway_TargetProvenEmpty", "Target proven empty?", 560, 175)
    m.add("user", "Task_Approve", "Approve the restore", 660, 160,
          doc="A second person, never the initiator, sees the evidence and approves or rejects.")
    m.add("boundary", "Event_ApprovalExpired", "Approval expired", 692, 222, attached="Task_Approve",
          timer="=duration(approvalTimeout)")
    m.add("task", "Task_ExpireApproval", "Expire the approval", 660, 320, type="approval.expire")
    m.add("gateway", "Gateway_Approved", "Approved?", 810, 175)
    m.add("task", "Task_Discard", "Remove what was put in place", 785, 440, type="restore.finish")
    m.add("end", "EndEvent_Rejected", "Rejected, nothing changed", 940, 462)
    m.add("sub", "SubProcess_Replace", "Replace the target's data", 900, 60, size=(760, 220),
          doc="Protected scope: any step failing here is caught and rolled back.")
    m.add("start", "StartEvent_Replace", None, 920, 182, parent="SubProcess_Replace")
    steps = [("Task_StopTarget", "Stop the target", "restore.stop-target", DESTRUCTIVE),
             ("Task_SaveAside", "Save the existing data", "restore.save-aside", DESTRUCTIVE),
             ("Task_Apply", "Restore the artifact", "restore.apply", DESTRUCTIVE),
             ("Task_StartTarget", "Start the target", "restore.start-target", IN_SCOPE),
             ("Task_VerifyTarget", "Verify the target", "restore.verify-target", IN_SCOPE)]
    for i, (id, name, type, headers) in enumerate(steps):
        m.add("task", id, name, 980 + 125 * i, 160, parent="SubProcess_Replace", type=type, retries=1,
              headers=headers, size=(105, 80))
    m.add("end", "EndEvent_Replaced", None, 1602, 182, parent="SubProcess_Replace")
    m.add("boundary", "Event_ReplaceFailed", "Step failed", 1262, 262, attached="SubProcess_Replace")
    m.add("task", "Task_RollBack", "Roll back and verify", 1230, 340, type="restore.roll-back", retries=1)
    m.add("end", "EndEvent_RolledBack", "Failed, outcome recorded", 1380, 362)
    m.add("task", "Task_Finish", "Clean up and record the outcome", 1710, 160, type="restore.finish")
    m.add("end", "EndEvent_Restored", "Restored and verified", 1860, 182)

    straight(m, "Flow_ToGatewayResumed", "StartEvent_RestoreRequested", "Gateway_Resumed")
    # Conditions sit on the main path, defaults on the ways round it (ProcessModels walks the former).
    straight(m, "Flow_ToCheckTarget", "Gateway_Resumed", "Task_CheckTarget", name="no",
             condition="=not(resumeAt != null and resumeAt = stepPath)")
    m.flow("Flow_ResumedAtApproval", "Gateway_Resumed", "Task_Approve", [(195, 175), (195, 120), (710, 120), (710, 160)],
           default=True, name="yes")
    straight(m, "Flow_ToPrepareArtifact", "Task_CheckTarget", "Task_PrepareArtifact")
    m.flow("Flow_TargetRefused", "Event_TargetRefused", "Task_RecordRefusal", [(310, 258), (310, 360), (360, 360)])
    m.flow("Flow_ArtifactRefused", "Event_ArtifactRefused", "Task_RecordRefusal", [(460, 258), (460, 360)])
    m.flow("Flow_ToRefused", "Task_RecordRefusal", "EndEvent_Refused", [(410, 400), (410, 462)])
    straight(m, "Flow_ToGatewayTargetProvenEmpty", "Task_PrepareArtifact", "Gateway_TargetProvenEmpty")
    straight(m, "Flow_NotEmpty", "Gateway_TargetProvenEmpty", "Task_Approve", name="no",
             condition="=targetEmpty != true")
    m.flow("Flow_ProvenEmpty", "Gateway_TargetProvenEmpty", "SubProcess_Replace", [(585, 225), (585, 300), (880, 300), (880, 240), (900, 240)],
           default=True, name="empty")
    straight(m, "Flow_ToGatewayApproved", "Task_Approve", "Gateway_Approved")
    m.flow("Flow_ToExpireApproval", "Event_ApprovalExpired", "Task_ExpireApproval", [(710, 258), (710, 320)])
    m.flow("Flow_ExpiredToDiscard", "Task_ExpireApproval", "Task_Discard", [(710, 400), (710, 480), (785, 480)])
    m.flow("Flow_Approved", "Gateway_Approved", "SubProcess_Replace", [(860, 200), (900, 200)], condition="=approved = true", name="yes")
    m.flow("Flow_Rejected", "Gateway_Approved", "Task_Discard", [(835, 225), (835, 440)], default=True, name="no")
    straight(m, "Flow_ToRejected", "Task_Discard", "EndEvent_Rejected")
    m.flow("Flow_ToStopTarget", "StartEvent_Replace", "Task_StopTarget", [(956, 200), (980, 200)])
    ids = [s[0] for s in steps]
    for a, b in zip(ids, ids[1:]):
        straight(m, "Flow_To" + b[5:], a, b)
    straight(m, "Flow_ToReplaced", ids[-1], "EndEvent_Replaced")
    m.flow("Flow_ToRollBack", "Event_ReplaceFailed", "Task_RollBack", [(1280, 298), (1280, 340)])
    straight(m, "Flow_ToRolledBack", "Task_RollBack", "EndEvent_RolledBack")
    m.flow("Flow_ToFinish", "SubProcess_Replace", "Task_Finish", [(1660, 200), (1710, 200)])
    straight(m, "Flow_ToRestored", "Task_Finish", "EndEvent_Restored")
    return m


RESTORE_OUTPUTS = ["failure", "rejection", "outcome", "outcomeDetail"]


def etcd_restore():
    m = Model("etcd-restore", "etcd restore",
              "The etcd charm's restore action onto a single-member cluster, on the restore skeleton (restore-target):"
              " checks before anyone is asked (single member, tools, versions, disk), snapshot.db uploaded with its"
              " checksum verified on the host, four-eyes approval (none for an empty new member), then stop, save the"
              " existing data aside, restore with a new cluster token, start and verify; any failure after the stop"
              " rolls back.")
    m.add("start", "StartEvent_RestoreRequested", "Restore requested", 100, 182)
    m.add("call", "CallActivity_Restore", "Restore onto the member", 180, 160, called="restore-target",
          inputs=[("platform", '="etcd"')],
          outputs=["restoredKeyCount", "restoredRevision", "savedDataDir"] + RESTORE_OUTPUTS)
    m.add("end", "EndEvent_Done", "Restore ended", 330, 182)
    straight(m, "Flow_ToRestore", "StartEvent_RestoreRequested", "CallActivity_Restore")
    straight(m, "Flow_ToDone", "CallActivity_Restore", "EndEvent_Done")
    return m


def fake_restore():
    """A test-only runbook on the skeleton, driven by the in-memory fake platform of the tests."""
    m = Model("fake-restore", "fake restore", "Test only: the restore skeleton over an in-memory fake platform.")
    m.add("start", "StartEvent_RestoreRequested", "Restore requested", 100, 182)
    m.add("call", "CallActivity_Restore", "Restore onto the fake", 180, 160, called="restore-target",
          inputs=[("platform", '="fake"')], outputs=["restoredData"] + RESTORE_OUTPUTS)
    m.add("end", "EndEvent_Done", "Restore ended", 330, 182)
    straight(m, "Flow_ToRestore", "StartEvent_RestoreRequested", "CallActivity_Restore")
    straight(m, "Flow_ToDone", "CallActivity_Restore", "EndEvent_Done")
    return m


def etcd_migration():
    m = Model("etcd-migration", "etcd migration",
              "The etcd charm's 'Migrating etcd' and procedure 002's 'migrating to a new version'. method=snapshot:"
              " snapshot the live source (etcd-snapshot), restore it on a new single-member cluster (etcd-restore,"
              " with its checks, approval and rollback), compare key counts and revisions. method=dump: dump the"
              " source's keys (etcd-dump), load them into the target cluster, which may run another etcd version"
              " (etcd-load, with its checks, approval and rollback), compare key counts and digests. With method"
              " snapshot the snapshot is sent to the target host while it is archived (copyTo); the restore checks"
              " that copy instead of uploading the archive again, and a run that does not restore removes it.")
    m.errors.append(("Error_MigrationRefused", "Migration refused", "MIGRATION_REFUSED"))
    m.add("start", "StartEvent_MigrationRequested", "Migration requested", 100, 182)
    m.add("task", "Task_CheckMigration", "Check the migration's parameters", 170, 160, type="etcd.check-migration",
          doc="The parameters the chosen method needs: a host and member for snapshot, target endpoints for dump.")
    m.add("boundary", "Event_MigrationRefused", "Refused", 202, 222, attached="Task_CheckMigration",
          error="Error_MigrationRefused")
    m.add("end", "EndEvent_MigrationRefused", "Refused, nothing changed", 202, 300)
    m.add("gateway", "Gateway_Method", "Method?", 310, 175)
    m.add("call", "CallActivity_SnapshotSource", "Snapshot the source", 400, 160, called="etcd-snapshot",
          inputs=[("copyTo", "={host: host, credentialRef: credentialRef, dataDir: dataDir}"),
                  ("endpoints", "=sourceEndpoints"), ("credentialRef", "=sourceCredentialRef"), ("notes", "=reason")],
          outputs=["backupId", "sha256", "size", "path", "snapshotCopy", "failure"])
    m.add("gateway", "Gateway_SnapshotTaken", "Snapshot taken?", 550, 175)
    m.add("task", "Task_RemoveSnapshotCopy", "Remove the copy on the target host", 525, 260,
          type="etcd.remove-snapshot-copy",
          doc="The snapshot sent to the target host while it was archived, if any: no restore will use it.")
    m.add("end", "EndEvent_SnapshotFailed", "Snapshot failed", 672, 282)
    m.add("call", "CallActivity_RestoreTarget", "Restore on the new member", 650, 160, called="etcd-restore",
          outputs=["restoredKeyCount", "restoredRevision", "savedDataDir"] + RESTORE_OUTPUTS)
    m.add("gateway", "Gateway_Restored", "Restored?", 800, 175)
    m.add("task", "Task_RemoveUnusedCopy", "Remove the copy on the target host", 775, 260,
          type="etcd.remove-snapshot-copy",
          doc="A restore refused by its checks leaves the snapshot sent during the snapshot: remove it.")
    m.add("end", "EndEvent_NotRestored", "Not restored", 922, 282)
    m.add("task", "Task_CompareClusters", "Compare source and target", 900, 160, type="etcd.compare-clusters")
    m.add("end", "EndEvent_Migrated", "Migrated", 1050, 182)
    m.add("call", "CallActivity_DumpSource", "Dump the source's keys", 400, 400, called="etcd-dump",
          inputs=[("endpoints", "=sourceEndpoints"), ("credentialRef", "=sourceCredentialRef"), ("notes", "=reason")],
          outputs=["backupId", "sha256", "size", "path", "keyCount", "revision", "failure"])
    m.add("gateway", "Gateway_DumpTaken", "Dump taken?", 550, 415)
    m.add("end", "EndEvent_DumpFailed", "Dump failed", 557, 540)
    m.add("call", "CallActivity_LoadTarget", "Load the keys into the target", 650, 400, called="etcd-load",
          inputs=[("endpoints", "=targetEndpoints"), ("credentialRef", "=targetCredentialRef")],
          outputs=["loadedKeyCount", "loadedDigest", "savedBackupId"] + RESTORE_OUTPUTS)
    m.add("gateway", "Gateway_Loaded", "Loaded?", 800, 415)
    m.add("end", "EndEvent_NotLoaded", "Not loaded", 807, 540)
    m.add("task", "Task_CompareDump", "Compare source, dump and target", 900, 400, type="etcd.compare-dump")
    m.add("end", "EndEvent_MigratedByDump", "Migrated", 1050, 422)
    straight(m, "Flow_ToCheckMigration", "StartEvent_MigrationRequested", "Task_CheckMigration")
    m.flow("Flow_ToMigrationRefused", "Event_MigrationRefused", "EndEvent_MigrationRefused", [(220, 258), (220, 300)])
    straight(m, "Flow_ToGatewayMethod", "Task_CheckMigration", "Gateway_Method")
    m.flow("Flow_MethodSnapshot", "Gateway_Method", "CallActivity_SnapshotSource", [(360, 200), (400, 200)],
           condition='=method = null or method = "snapshot"', name="snapshot")
    m.flow("Flow_MethodDump", "Gateway_Method", "CallActivity_DumpSource", [(335, 225), (335, 440), (400, 440)],
           default=True, name="dump")
    straight(m, "Flow_ToGatewaySnapshotTaken", "CallActivity_SnapshotSource", "Gateway_SnapshotTaken")
    m.flow("Flow_SnapshotTaken", "Gateway_SnapshotTaken", "CallActivity_RestoreTarget", [(600, 200), (650, 200)],
           condition="=failure = null", name="yes")
    m.flow("Flow_SnapshotFailed", "Gateway_SnapshotTaken", "Task_RemoveSnapshotCopy", [(575, 225), (575, 260)],
           default=True, name="no")
    straight(m, "Flow_ToSnapshotFailed", "Task_RemoveSnapshotCopy", "EndEvent_SnapshotFailed")
    straight(m, "Flow_ToGatewayRestored", "CallActivity_RestoreTarget", "Gateway_Restored")
    m.flow("Flow_Restored", "Gateway_Restored", "Task_CompareClusters", [(850, 200), (900, 200)],
           condition="=failure = null and rejection = null", name="yes")
    m.flow("Flow_NotRestored", "Gateway_Restored", "Task_RemoveUnusedCopy", [(825, 225), (825, 260)],
           default=True, name="no")
    straight(m, "Flow_ToNotRestored", "Task_RemoveUnusedCopy", "EndEvent_NotRestored")
    straight(m, "Flow_ToMigrated", "Task_CompareClusters", "EndEvent_Migrated")
    straight(m, "Flow_ToGatewayDumpTaken", "CallActivity_DumpSource", "Gateway_DumpTaken")
    m.flow("Flow_DumpTaken", "Gateway_DumpTaken", "CallActivity_LoadTarget", [(600, 440), (650, 440)],
           condition="=failure = null", name="yes")
    m.flow("Flow_DumpFailed", "Gateway_DumpTaken", "EndEvent_DumpFailed", [(575, 465), (575, 540)],
           default=True, name="no")
    straight(m, "Flow_ToGatewayLoaded", "CallActivity_LoadTarget", "Gateway_Loaded")
    m.flow("Flow_Loaded", "Gateway_Loaded", "Task_CompareDump", [(850, 440), (900, 440)],
           condition="=failure = null and rejection = null", name="yes")
    m.flow("Flow_NotLoaded", "Gateway_Loaded", "EndEvent_NotLoaded", [(825, 465), (825, 540)],
           default=True, name="no")
    straight(m, "Flow_ToMigratedByDump", "Task_CompareDump", "EndEvent_MigratedByDump")
    return m


def backup_tail(m, x, take_id, end_name):
    """The backup pipeline's generic steps after a platform's take step, as in etcd-snapshot."""
    m.errors.append(("Error_ArchiveCorrupt", "Archive corrupt", "ARCHIVE_CORRUPT"))
    m.add("task", "Task_VerifyArchive", "Verify the archive", x, 160, type="backup.verify-archive",
          doc="Re-read the staged archive: the size and checksum it was written with.")
    m.add("boundary", "Event_ArchiveCorrupt", "Archive corrupt", x + 32, 222, attached="Task_VerifyArchive",
          error="Error_ArchiveCorrupt")
    m.add("task", "Task_DiscardArchive", "Discard the archive", x + 100, 300, type="backup.discard-archive")
    m.add("end", "EndEvent_ArchiveRejected", "Archive rejected", x + 252, 322)
    m.add("task", "Task_StoreBackup", "Store the archive", x + 150, 160, type="backup.store-archive",
          doc="Atomically move the staged archive into the backup repository.")
    m.add("task", "Task_CatalogueBackup", "Catalogue the backup", x + 300, 160, type="backup.catalogue-archive")
    m.add("end", "EndEvent_BackupCatalogued", end_name, x + 452, 182)
    straight(m, "Flow_ToVerifyArchive", take_id, "Task_VerifyArchive")
    straight(m, "Flow_ToStoreBackup", "Task_VerifyArchive", "Task_StoreBackup")
    straight(m, "Flow_ToCatalogueBackup", "Task_StoreBackup", "Task_CatalogueBackup")
    straight(m, "Flow_ToBackupCatalogued", "Task_CatalogueBackup", "EndEvent_BackupCatalogued")
    m.flow("Flow_ToDiscardArchive", "Event_ArchiveCorrupt", "Task_DiscardArchive",
           [(x + 50, 258), (x + 50, 340), (x + 100, 340)])
    straight(m, "Flow_ToArchiveRejected", "Task_DiscardArchive", "EndEvent_ArchiveRejected")


def etcd_dump():
    m = Model("etcd-dump", "etcd key dump",
              "A logical dump of an etcd cluster's keys: v3 paged at one revision (values as bytes, leases as"
              " remaining TTLs) and the v2 key space when asked (hidden roots read by name), written as gzip JSON"
              " lines into the backup pipeline's staging, then verified, stored and catalogued.")
    m.errors.append(("Error_DumpRefused", "Dump refused", "DUMP_REFUSED"))
    m.add("start", "StartEvent_DumpRequested", "Dump requested", 100, 182)
    m.add("task", "Task_CheckCluster", "Check the cluster", 180, 160, type="etcd.check-dump",
          doc="Health, members, cluster id, server version, revision and key count; the key spaces asked for,"
              " and the v2 API when v2 is asked for.")
    m.add("boundary", "Event_DumpRefused", "Refused", 212, 222, attached="Task_CheckCluster", error="Error_DumpRefused")
    m.add("end", "EndEvent_DumpRefused", "Refused", 212, 300)
    m.flow("Flow_ToDumpRefused", "Event_DumpRefused", "EndEvent_DumpRefused", [(230, 258), (230, 300)])
    m.add("task", "Task_TakeDump", "Dump the keys", 330, 160, type="etcd.take-dump",
          doc="Reserve the backup id; stream every key under the prefix into the staged dump, hashing it.")
    straight(m, "Flow_ToCheckCluster", "StartEvent_DumpRequested", "Task_CheckCluster")
    straight(m, "Flow_ToTakeDump", "Task_CheckCluster", "Task_TakeDump")
    backup_tail(m, 480, "Task_TakeDump", "Dump catalogued")
    return m


def skeleton_caller(process_id, name, documentation, start_name, call_id, call_name, platform, outputs, end_name):
    """A platform's restore model: one call activity to the restore skeleton with its platform."""
    m = Model(process_id, name, documentation)
    m.add("start", "StartEvent_" + start_name.title().replace(" ", ""), start_name, 100, 182)
    m.add("call", call_id, call_name, 180, 160, called="restore-target", inputs=[("platform", f'="{platform}"')],
          outputs=outputs + RESTORE_OUTPUTS)
    m.add("end", "EndEvent_Done", end_name, 330, 182)
    straight(m, "Flow_To" + call_id.split("_", 1)[1], m.elements[0]["id"], call_id)
    straight(m, "Flow_ToDone", call_id, "EndEvent_Done")
    return m


def etcd_load():
    return skeleton_caller(
        "etcd-load", "etcd key load",
        "An etcd-dump loaded into a running cluster of any version, on the restore skeleton (restore-target,"
        " platform etcd-keys): checks and evidence of the keys that would be overwritten, the dump verified,"
        " four-eyes approval unless the target holds no keys under the prefix, the overwritten keys saved as a"
        " dump, the keys written in bounded transactions, verified by count and digest; rolled back on failure.",
        "Load requested", "CallActivity_Load", "Load the keys into the cluster", "etcd-keys",
        ["loadedKeyCount", "loadedDigest", "savedBackupId"], "Load ended")


def deis_data_containers_backup():
    m = Model("deis-data-containers-backup", "Deis data containers backup",
              "Procedure 004's data containers: 'docker export' of each container over SSH into one archive (a tar"
              " per container with its size and sha256), then the backup pipeline's verify, store and catalogue.")
    m.add("start", "StartEvent_BackupRequested", "Backup requested", 100, 182)
    m.add("task", "Task_CheckDocker", "Check docker on the host", 180, 160, type="deis.check-docker")
    m.add("task", "Task_ExportContainers", "Export the containers", 330, 160, type="deis.export-containers",
          doc="docker export per container, each tar hashed into the staged archive.")
    straight(m, "Flow_ToCheckDocker", "StartEvent_BackupRequested", "Task_CheckDocker")
    straight(m, "Flow_ToExportContainers", "Task_CheckDocker", "Task_ExportContainers")
    backup_tail(m, 480, "Task_ExportContainers", "Backup catalogued")
    return m


def deis_data_containers_restore():
    return skeleton_caller(
        "deis-data-containers-restore", "Deis data containers restore",
        "Procedure 004's import on the restore skeleton (platform deis-data-containers): checks, the archive's"
        " parts verified, approval when an image would be replaced, previous images kept under a dated tag,"
        " 'docker import - <name>' fed from the archive, images verified; rolled back on failure.",
        "Restore requested", "CallActivity_Import", "Import the containers", "deis-data-containers",
        ["importedImages", "restoredContainers"], "Restore ended")


def juju_controller_backup():
    m = Model("juju-controller-backup", "Juju controller backup",
              "Procedure 001, 'The Juju state server': Juju's own backup command on the client machine (1.x 'juju"
              " backups create', 2.9/3.x 'juju create-backup', found from 'juju version') writes the archive into a"
              " private temporary file there; Lifeboat reads the metadata juju printed, copies the file into the"
              " backup pipeline computing sha256 and Juju's SHA-1 and checking Juju's layout in one pass, then the"
              " pipeline's generic steps: verify (Juju's checksum and size), store, catalogue with Juju's metadata.")
    m.add("start", "StartEvent_BackupRequested", "Backup requested", 100, 182)
    m.add("task", "Task_DetectClient", "Find the Juju client generation", 180, 160, type="juju.detect-client",
          doc="'juju version' on the client machine: 1.x or 2.9/3.x decides the commands.")
    m.add("task", "Task_CreateBackup", "Create and download the backup", 330, 160, type="juju.create-controller-backup",
          doc="Reserve the id; run Juju's backup command with --filename into a private temporary directory; parse the"
              " printed metadata; copy the file into staging with sha256, SHA-1 and layout checked; remove the host's"
              " temporary directory.")
    backup_tail(m, 480, "Task_CreateBackup", "Backup catalogued")
    straight(m, "Flow_ToDetectClient", "StartEvent_BackupRequested", "Task_DetectClient")
    straight(m, "Flow_ToCreateBackup", "Task_DetectClient", "Task_CreateBackup")
    return m


def juju_ha_restore():
    return skeleton_caller("juju-ha-restore", "Juju HA restore",
                           "Procedure 001, 'Restoring on HA', on the restore skeleton (restore-target): checks before anyone is"
                           " asked (every state server lost, else ensure-availability is the advice), the backup uploaded to the"
                           " client machine with its checksum verified there, four-eyes approval, then 'juju backups restore -b"
                           " --file=...' re-bootstraps, 'ensure-availability -n N' recreates the replicas, and the verify step"
                           " waits until N members have a vote.",
                           "Restore requested", "CallActivity_Restore", "Restore the state servers", "juju",
                           ["votingMembers", "members"], "Restore ended")


def juju_client_backup():
    m = Model("juju-client-backup", "Juju client backup",
              "Procedure 001, 'The Juju client': the client directory archived as 'tar -cpzf' does it (permissions"
              " kept, excludes applied, sudo for the local provider's root files), streamed over SSH and encrypted to"
              " the configured age recipients on its way into the backup pipeline, then verified, stored and"
              " catalogued. Without recipients it refuses before reading anything.")
    m.errors.append(("Error_ClientBackupRefused", "Client backup refused", "CLIENT_BACKUP_REFUSED"))
    m.add("start", "StartEvent_BackupRequested", "Backup requested", 100, 182)
    m.add("task", "Task_CheckClientDir", "Check encryption and the client directory", 180, 160,
          type="juju.check-client-dir",
          doc="Age recipients configured; the directory ($JUJU_DATA, ~/.local/share/juju or ~/.juju) found; excludes"
              " inside it.")
    m.add("boundary", "Event_ClientBackupRefused", "Refused", 212, 222, attached="Task_CheckClientDir",
          error="Error_ClientBackupRefused")
    m.add("end", "EndEvent_Refused", "Refused, nothing read", 212, 320)
    m.add("task", "Task_ArchiveClientDir", "Archive and encrypt the directory", 330, 160, type="juju.archive-client-dir",
          doc="tar -cpzf over SSH, age-encrypted as it streams into staging; sha256 of the archive inside and the file"
              " count computed on the way.")
    backup_tail(m, 480, "Task_ArchiveClientDir", "Backup catalogued")
    straight(m, "Flow_ToCheckClientDir", "StartEvent_BackupRequested", "Task_CheckClientDir")
    m.flow("Flow_ToRefused", "Event_ClientBackupRefused", "EndEvent_Refused", [(230, 258), (230, 320)])
    straight(m, "Flow_ToArchiveClientDir", "Task_CheckClientDir", "Task_ArchiveClientDir")
    return m


def juju_client_restore():
    return skeleton_caller("juju-client-restore", "Juju client restore",
                           "Procedure 001, 'Restoring ~/.juju', on the restore skeleton (restore-target): the encrypted client"
                           " backup decrypted and compared with the directory (overwritten, added, unchanged, left alone) before"
                           " anyone is asked, uploaded with its checksum verified on the host, four-eyes approval, then the current"
                           " directory copied aside, the archive extracted with its permissions and every file verified; any"
                           " failure puts the saved directory back and verifies it.",
                           "Restore requested", "CallActivity_Restore", "Restore the client directory", "juju-client",
                           ["restoredFiles", "savedDir"], "Restore ended")


def deis_store_backup():
    m = Model("deis-store-backup", "Deis store backup",
              "Procedure 003's backup as one set: the store gateway's buckets through the S3 API (bodies stored by"
              " content, unchanged objects not downloaded again), the store volume as 'tar cpzf - .' over SSH, and"
              " 'pg_dumpall' through docker exec; then manifest.json and the backup pipeline's generic steps:"
              " verify, store atomically, catalogue.")
    m.add("start", "StartEvent_BackupRequested", "Backup requested", 100, 182)
    tasks = [("Task_CheckStore", "Check the store", "deis.check-store",
              "The platform's domain (the cluster's identity), the gateway's keys, every bucket, the store volume;"
              " reserve the backup id."),
             ("Task_CopyBuckets", "Copy the buckets", "deis.copy-store-buckets",
              "Every object through the S3 API with bounded parallelism, recording key, size, ETag, sha256 and md5;"
              " objects held from the last backup with the same key, size and ETag are referenced, not downloaded."),
             ("Task_CopyVolume", "Copy the store volume", "deis.copy-store-volume",
              "'tar cpzf - .' in the store volume over SSH, streamed; GNU tar's 'file changed as we read it' (exit 1)"
              " is a warning kept in the step and the manifest."),
             ("Task_DumpDatabase", "Dump the database", "deis.dump-store-database",
              "'docker exec <databaseContainer> sudo -u postgres pg_dumpall', streamed, its exit status checked."),
             ("Task_WriteManifest", "Write the manifest", "deis.write-store-manifest",
              "manifest.json: every object and file of the set, staged as the set's archive.")]
    x = 180
    for id, name, type, doc in tasks:
        m.add("task", id, name, x, 160, type=type, doc=doc)
        x += 150
    chain = ["StartEvent_BackupRequested"] + [t[0] for t in tasks]
    for a, b in zip(chain, chain[1:]):
        straight(m, "Flow_To" + b.split("_", 1)[1], a, b)
    backup_tail(m, x, "Task_WriteManifest", "Backup catalogued")
    return m


def deis_store_restore():
    return skeleton_caller("deis-store-restore", "Deis store restore",
                           "Procedure 003's restore onto a new cluster, on the restore skeleton (restore-target):"
                           " checks, every stored part verified, install the platform and start only the store"
                           " components (each confirmed with deisctl list) and router@1, new gateway keys, empty"
                           " buckets; four-eyes approval; buckets, objects (verified), the store volume with owners,"
                           " start the platform, the controller's re-save, rescale.",
                           "Restore requested", "CallActivity_Restore", "Restore onto the new cluster", "deis-store",
                           ["objectCount", "fileCount", "appsToRescale"], "Restore ended")


if __name__ == "__main__":
    for model, path in ((restore_target(), "bpmn/restore/restore-target.bpmn"),
                        (etcd_restore(), "bpmn/etcd/etcd-restore.bpmn"),
                        (etcd_migration(), "bpmn/etcd/etcd-migration.bpmn"),
                        (etcd_dump(), "bpmn/etcd/etcd-dump.bpmn"),
                        (etcd_load(), "bpmn/etcd/etcd-load.bpmn"),
                        (deis_data_containers_backup(), "bpmn/deis/deis-data-containers-backup.bpmn"),
                        (deis_data_containers_restore(), "bpmn/deis/deis-data-containers-restore.bpmn"),
                        (fake_restore(), "src/test/resources/bpmn/test/fake-restore.bpmn"),
                        (juju_controller_backup(), "bpmn/juju/juju-controller-backup.bpmn"),
                        (juju_ha_restore(), "bpmn/juju/juju-ha-restore.bpmn"),
                        (juju_client_backup(), "bpmn/juju/juju-client-backup.bpmn"),
                        (juju_client_restore(), "bpmn/juju/juju-client-restore.bpmn"),
                        (deis_store_backup(), "bpmn/deis/deis-store-backup.bpmn"),
                        (deis_store_restore(), "bpmn/deis/deis-store-restore.bpmn")):
        with open(path, "w") as f:
            f.write(model.xml())
        print("wrote", path, file=sys.stderr)
