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
                for target, source in e.get("inputs", []):
                    ext.append(f'  <zeebe:input source="{escape(source)}" target="{target}" />')
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


DESTRUCTIVE = {"lifeboat.on-failure": "error"}


def etcd_restore():
    m = Model("etcd-restore", "etcd restore",
              "The etcd charm's restore action onto a single-member cluster: checks before anyone is asked, upload"
              " with the checksum verified on the host, four-eyes approval, then stop, save the existing data aside,"
              " restore with a new cluster token, start and verify; any failure after the stop rolls back.")
    m.add("start", "StartEvent_RestoreRequested", "Restore requested", 100, 182)
    m.add("task", "Task_CheckTarget", "Check the target", 180, 160, type="etcd.check-restore-target",
          doc="Single member only, etcd/etcdctl/etcdutl and versions, dataDir, free disk for two copies.")
    m.add("boundary", "Event_PreconditionFailed", "Precondition failed", 212, 222, attached="Task_CheckTarget")
    m.add("end", "EndEvent_PreconditionFailed", "Refused before approval", 212, 330)
    m.add("task", "Task_UploadSnapshot", "Upload and verify the snapshot", 330, 160, type="etcd.upload-snapshot",
          doc="Archive checked against its catalogued sha256 and etcd's hash while snapshot.db goes to the host; sha256sum on the host.")
    m.add("boundary", "Event_SnapshotRefused", "Snapshot refused", 362, 222, attached="Task_UploadSnapshot")
    m.add("end", "EndEvent_SnapshotRefused", "Snapshot refused", 362, 330)
    m.add("user", "Task_Approve", "Approve the restore", 480, 160,
          doc="A second person, never the initiator, sees the evidence and approves or rejects.")
    m.add("boundary", "Event_ApprovalExpired", "Approval expired", 512, 222, attached="Task_Approve",
          timer="=duration(approvalTimeout)")
    m.add("task", "Task_ExpireApproval", "Expire the approval", 480, 320, type="approval.expire")
    m.add("gateway", "Gateway_Approved", "Approved?", 630, 175)
    m.add("task", "Task_DiscardUpload", "Remove the uploaded snapshot", 605, 440, type="etcd.remove-upload")
    m.add("end", "EndEvent_Rejected", "Rejected, nothing changed", 760, 462)
    m.add("sub", "SubProcess_Replace", "Replace the member's data", 720, 100, size=(840, 200),
          doc="Destructive: any step failing here is caught and rolled back.")
    m.add("start", "StartEvent_Replace", None, 740, 182, parent="SubProcess_Replace")
    steps = [("Task_StopMember", "Stop etcd", "etcd.stop-member"),
             ("Task_SaveData", "Save the existing data", "etcd.save-data"),
             ("Task_RestoreSnapshot", "Restore the snapshot", "etcd.restore-snapshot"),
             ("Task_StartMember", "Start etcd", "etcd.start-member"),
             ("Task_VerifyRestore", "Verify keys and revision", "etcd.verify-restore")]
    for i, (id, name, type) in enumerate(steps):
        m.add("task", id, name, 800 + 140 * i, 160, parent="SubProcess_Replace", type=type, retries=1,
              headers=DESTRUCTIVE)
    m.add("end", "EndEvent_Replaced", None, 1502, 182, parent="SubProcess_Replace")
    m.add("boundary", "Event_ReplaceFailed", "Step failed", 1122, 282, attached="SubProcess_Replace")
    m.add("task", "Task_RollBack", "Roll back to the saved data", 1090, 360, type="etcd.roll-back", retries=1)
    m.add("end", "EndEvent_RolledBack", "Failed, rolled back", 1240, 382)
    m.add("task", "Task_RemoveUpload", "Remove the uploaded snapshot", 1610, 160, type="etcd.remove-upload")
    m.add("end", "EndEvent_Restored", "Restored and verified", 1760, 182)

    straight(m, "Flow_ToCheckTarget", "StartEvent_RestoreRequested", "Task_CheckTarget")
    straight(m, "Flow_ToUploadSnapshot", "Task_CheckTarget", "Task_UploadSnapshot")
    straight(m, "Flow_ToApprove", "Task_UploadSnapshot", "Task_Approve")
    straight(m, "Flow_ToGatewayApproved", "Task_Approve", "Gateway_Approved")
    m.flow("Flow_ToPreconditionFailed", "Event_PreconditionFailed", "EndEvent_PreconditionFailed", [(230, 258), (230, 330)])
    m.flow("Flow_ToSnapshotRefused", "Event_SnapshotRefused", "EndEvent_SnapshotRefused", [(380, 258), (380, 330)])
    m.flow("Flow_ToExpireApproval", "Event_ApprovalExpired", "Task_ExpireApproval", [(530, 258), (530, 320)])
    m.flow("Flow_ExpiredToDiscard", "Task_ExpireApproval", "Task_DiscardUpload", [(530, 400), (530, 480), (605, 480)])
    m.flow("Flow_Approved", "Gateway_Approved", "SubProcess_Replace", [(680, 200), (720, 200)], condition="=approved = true", name="yes")
    m.flow("Flow_Rejected", "Gateway_Approved", "Task_DiscardUpload", [(655, 225), (655, 440)], default=True, name="no")
    straight(m, "Flow_ToRejected", "Task_DiscardUpload", "EndEvent_Rejected")
    m.flow("Flow_ToStopMember", "StartEvent_Replace", "Task_StopMember", [(776, 200), (800, 200)])
    ids = [s[0] for s in steps]
    for a, b in zip(ids, ids[1:]):
        straight(m, "Flow_To" + b[5:], a, b)
    straight(m, "Flow_ToReplaced", ids[-1], "EndEvent_Replaced")
    m.flow("Flow_ToRollBack", "Event_ReplaceFailed", "Task_RollBack", [(1140, 318), (1140, 360)])
    straight(m, "Flow_ToRolledBack", "Task_RollBack", "EndEvent_RolledBack")
    m.flow("Flow_ToRemoveUpload", "SubProcess_Replace", "Task_RemoveUpload", [(1560, 200), (1610, 200)])
    straight(m, "Flow_ToRestored", "Task_RemoveUpload", "EndEvent_Restored")
    return m


def etcd_migration():
    m = Model("etcd-migration", "etcd migration",
              "The etcd charm's 'Migrating etcd': snapshot the live source (etcd-snapshot), restore it on a new"
              " single-member cluster (etcd-restore, with its checks, approval and rollback), then compare the"
              " key counts and revisions of source, snapshot and target.")
    m.add("start", "StartEvent_MigrationRequested", "Migration requested", 100, 182)
    m.add("call", "CallActivity_SnapshotSource", "Snapshot the source", 180, 160, called="etcd-snapshot",
          inputs=[("endpoints", "=sourceEndpoints"), ("credentialRef", "=sourceCredentialRef"), ("notes", "=reason")],
          outputs=["backupId", "sha256", "size", "path", "failure"])
    m.add("gateway", "Gateway_SnapshotTaken", "Snapshot taken?", 330, 175)
    m.add("end", "EndEvent_SnapshotFailed", "Snapshot failed", 337, 300)
    m.add("call", "CallActivity_RestoreTarget", "Restore on the new member", 430, 160, called="etcd-restore",
          outputs=["restoredKeyCount", "restoredRevision", "savedDataDir", "failure", "rejection"])
    m.add("gateway", "Gateway_Restored", "Restored?", 580, 175)
    m.add("end", "EndEvent_NotRestored", "Not restored", 587, 300)
    m.add("task", "Task_CompareClusters", "Compare source and target", 680, 160, type="etcd.compare-clusters")
    m.add("end", "EndEvent_Migrated", "Migrated", 830, 182)
    straight(m, "Flow_ToSnapshotSource", "StartEvent_MigrationRequested", "CallActivity_SnapshotSource")
    straight(m, "Flow_ToGatewaySnapshotTaken", "CallActivity_SnapshotSource", "Gateway_SnapshotTaken")
    m.flow("Flow_SnapshotTaken", "Gateway_SnapshotTaken", "CallActivity_RestoreTarget", [(380, 200), (430, 200)],
           condition="=failure = null", name="yes")
    m.flow("Flow_SnapshotFailed", "Gateway_SnapshotTaken", "EndEvent_SnapshotFailed", [(355, 225), (355, 300)],
           default=True, name="no")
    straight(m, "Flow_ToGatewayRestored", "CallActivity_RestoreTarget", "Gateway_Restored")
    m.flow("Flow_Restored", "Gateway_Restored", "Task_CompareClusters", [(630, 200), (680, 200)],
           condition="=failure = null and rejection = null", name="yes")
    m.flow("Flow_NotRestored", "Gateway_Restored", "EndEvent_NotRestored", [(605, 225), (605, 300)],
           default=True, name="no")
    straight(m, "Flow_ToMigrated", "Task_CompareClusters", "EndEvent_Migrated")
    return m


if __name__ == "__main__":
    for model, path in ((etcd_restore(), "bpmn/etcd/etcd-restore.bpmn"), (etcd_migration(), "bpmn/etcd/etcd-migration.bpmn")):
        with open(path, "w") as f:
            f.write(model.xml())
        print("wrote", path, file=sys.stderr)
