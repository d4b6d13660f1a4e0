<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiErrors</name>
    <message>
        <source>Enter the server address, for example https://cc.example.com.</source>
        <translation>请输入服务器地址，例如 https://cc.example.com。</translation>
    </message>
    <message>
        <source>The server address must start with https:// or http://.</source>
        <translation>服务器地址必须以 https:// 或 http:// 开头。</translation>
    </message>
    <message>
        <source>The server address has no host name.</source>
        <translation>服务器地址缺少主机名。</translation>
    </message>
    <message>
        <source>The server address has an invalid port number.</source>
        <translation>服务器地址的端口号无效。</translation>
    </message>
    <message>
        <source>The server address is not valid.</source>
        <translation>服务器地址无效。</translation>
    </message>
    <message>
        <source>Cannot reach the server %1. Check the address and your network connection.</source>
        <translation>无法连接服务器 %1。请检查地址和网络连接。</translation>
    </message>
    <message>
        <source>The server %1 did not answer in time. Try again in a moment.</source>
        <translation>服务器 %1 未及时响应，请稍后重试。</translation>
    </message>
    <message>
        <source>The server %1 did not present a trusted certificate. Ask IT for the CA file and set it as server.ca_file in the configuration.</source>
        <translation>服务器 %1 未提供受信任的证书。请向 IT 部门索取 CA 文件，并在配置中设置为 server.ca_file。</translation>
    </message>
    <message>
        <source>The request to %1 failed.</source>
        <translation>对 %1 的请求失败。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Your session has expired. Please sign in again.</source>
        <translation>您的会话已过期，请重新登录。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Sign-in is required.</source>
        <translation>需要登录。</translation>
    </message>
    <message>
        <source>The server at %1 did not answer like an Agent Workstation backend. Check the server address.</source>
        <translation>%1 上的服务器的应答不像坐席工作台后台。请检查服务器地址。</translation>
    </message>
    <message>
        <source>The server refused the request: %1</source>
        <translation>服务器拒绝了请求：%1</translation>
    </message>
    <message>
        <source>Unexpected error (%1). Details are in the log.</source>
        <translation>意外错误（%1）。详细信息已写入日志。</translation>
    </message>
    <message>
        <source>This %1 is already used by another record; choose another.</source>
        <translation>该%1已被其他记录使用，请换一个。</translation>
    </message>
    <message>
        <source>You are not allowed to make this change.</source>
        <translation>您无权进行此修改。</translation>
    </message>
    <message>
        <source>The record is no longer on the server (deleted or moved to another team).</source>
        <translation>该记录已不在服务器上（已删除或已转到其他团队）。</translation>
    </message>
    <message>
        <source>It cannot be deleted while other records use it.</source>
        <translation>仍有其他记录在使用它，无法删除。</translation>
    </message>
    <message>
        <source>The server did not accept the %1.</source>
        <translation>服务器未接受该%1。</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>AudioDialog</name>
    <message>
        <source>Audio devices</source>
        <translation>音频设备</translation>
    </message>
    <message>
        <source>Echo test: hear my own microphone</source>
        <translation>回声测试：听到自己的麦克风</translation>
    </message>
    <message>
        <source>Headset / speaker:</source>
        <translation>耳机 / 扬声器：</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Microphone level:</source>
        <translation>麦克风音量：</translation>
    </message>
    <message>
        <source>Speak: the bar should move. Calls switch to the new devices at once.</source>
        <translation>请说话：音量条应会跳动。通话会立即切换到新设备。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>Configuration file ignored: %1</source>
        <translation>已忽略配置文件：%1</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Settle a conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <source>%1 was deleted on the server while you were changing it here. Your changes cannot be sent.</source>
        <translation>您在本机修改%1时，它已在服务器上被删除。您的修改无法发送。</translation>
    </message>
    <message>
        <source>Accept the deletion</source>
        <translation>接受删除</translation>
    </message>
    <message>
        <source>Someone else changed %1 while you were changing it here. For each field, choose the value to keep (or edit the text). Their changes to other fields are kept.</source>
        <translation>您在本机修改%1时，其他人也修改了它。请为每个字段选择要保留的值（或编辑文字）。对方对其他字段的修改会保留。</translation>
    </message>
    <message>
        <source>Keep these values</source>
        <translation>保留这些值</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>您的</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>对方的</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>Search: name, customer code, serial number, ticket number, phone</source>
        <translation>搜索：名称、客户编号、序列号、工单号、电话</translation>
    </message>
    <message>
        <source>When a call rings, the caller appears here before you say hello: profile, products and warranty, open tickets, dispatches and past interactions.</source>
        <translation>来电振铃时，在您开口之前，来电客户就会显示在这里：客户资料、产品与保修、未结工单、派工和历史联络记录。</translation>
    </message>
    <message>
        <source>New customer…</source>
        <translation>新建客户…</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Address verified</source>
        <translation>地址已核实</translation>
    </message>
    <message>
        <source>Edit profile…</source>
        <translation>编辑资料…</translation>
    </message>
    <message>
        <source>Correct the profile while the customer is on the line (works offline)</source>
        <translation>在客户通话时修改资料（离线也可用）</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>资料</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Open work</source>
        <translation>未结事项</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Calls and messages</source>
        <translation>通话与消息</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Dispatches</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Callbacks and surveys</source>
        <translation>回访与调查</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Next actions</source>
        <translation>建议操作</translation>
    </message>
    <message>
        <source>Notes on this call</source>
        <translation>本次通话备注</translation>
    </message>
    <message>
        <source>+30 s</source>
        <translation>+30 秒</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Several customers have this number</source>
        <translation>此号码对应多个客户</translation>
    </message>
    <message>
        <source>Ask who is calling, then pick: %1</source>
        <translation>请询问来电者身份，然后选择：%1</translation>
    </message>
    <message>
        <source>Number withheld</source>
        <translation>号码未显示</translation>
    </message>
    <message>
        <source>Ask for the customer&apos;s name or customer code.</source>
        <translation>请询问客户姓名或客户编号。</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>未知来电</translation>
    </message>
    <message>
        <source>%1 is not a phone number we can look up.</source>
        <translation>%1 不是可查询的电话号码。</translation>
    </message>
    <message>
        <source>No customer has %1 on file.</source>
        <translation>没有客户登记过 %1。</translation>
    </message>
    <message>
        <source> The server could not be asked (offline).</source>
        <translation> 无法查询服务器（离线）。</translation>
    </message>
    <message>
        <source>Create a new customer, or search for them by name, customer code, serial number or ticket number.</source>
        <translation>新建客户，或按名称、客户编号、序列号或工单号搜索。</translation>
    </message>
    <message>
        <source>Nothing found for “%1”.</source>
        <translation>未找到“%1”。</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Pick a customer to open.</source>
        <translation>请选择要打开的客户。</translation>
    </message>
    <message>
        <source> · changes waiting to sync</source>
        <translation> · 有修改待同步</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Open complaint %1</source>
        <translation>未结投诉 %1</translation>
    </message>
    <message>
        <source>SLA breached: %1</source>
        <translation>已超时限：%1</translation>
    </message>
    <message>
        <source>SLA due %2: %1</source>
        <translation>时限 %2 到期：%1</translation>
    </message>
    <message>
        <source>Warranty expired: %1</source>
        <translation>已过保：%1</translation>
    </message>
    <message numerus="yes">
        <source>Called %n time(s) in 7 days</source>
        <translation>
            <numerusform>7 天内来电 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>This is the number calling</source>
        <translation>即来电号码</translation>
    </message>
    <message>
        <source>Double-click to call</source>
        <translation>双击拨打</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>备注：%1</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <source>expired %1</source>
        <translation>%1 已过期</translation>
    </message>
    <message>
        <source>SLA %1</source>
        <translation>时限 %1</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>waiting on the customer</source>
        <translation>等待客户</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Dispatch %1 · %2 · %3</source>
        <translation>派工 %1 · %2 · %3</translation>
    </message>
    <message>
        <source>No open tickets or dispatches.</source>
        <translation>没有未结工单或派工。</translation>
    </message>
    <message>
        <source>Call in</source>
        <translation>呼入</translation>
    </message>
    <message>
        <source>Call out</source>
        <translation>呼出</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>Callback</source>
        <translation>回电</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访电话</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Give an update on ticket %1</source>
        <translation>告知工单 %1 的进展</translation>
    </message>
    <message>
        <source>Offer a reorder: %1</source>
        <translation>建议续购：%1</translation>
    </message>
    <message>
        <source>Ask the pending satisfaction survey</source>
        <translation>进行待办的满意度调查</translation>
    </message>
    <message>
        <source>A callback is pending: %1</source>
        <translation>有待回电：%1</translation>
    </message>
    <message>
        <source>Offer a warranty extension: %1</source>
        <translation>建议延保：%1</translation>
    </message>
    <message>
        <source>Choose a disposition…</source>
        <translation>选择小结…</translation>
    </message>
    <message>
        <source>Wrap-up: %1 left</source>
        <translation>话后处理：剩余 %1</translation>
    </message>
    <message>
        <source>Choose a disposition for this call.</source>
        <translation>请为本次通话选择小结。</translation>
    </message>
    <message>
        <source>The notes are too long (%1 characters; at most 4000).</source>
        <translation>备注过长（%1 个字符；最多 4000）。</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Customer code</source>
        <translation>客户编号</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Preferred channel</source>
        <translation>首选渠道</translation>
    </message>
    <message>
        <source>Do not contact by</source>
        <translation>勿用以下方式联系</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Linked articles</source>
        <translation>关联文章</translation>
    </message>
    <message>
        <source>Wrap-up code</source>
        <translation>话后小结代码</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Warranty until</source>
        <translation>保修截止</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>interaction</source>
        <translation>接触记录</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派工单</translation>
    </message>
    <message>
        <source>callback or survey</source>
        <translation>回访或调查</translation>
    </message>
    <message>
        <source>product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>article</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <source>Sign in to the contact centre</source>
        <translation>登录呼叫中心</translation>
    </message>
    <message>
        <source>your user name</source>
        <translation>您的用户名</translation>
    </message>
    <message>
        <source>Keep me signed in on this computer</source>
        <translation>在这台电脑上保持登录</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Your sign-in will not be remembered: %1.</source>
        <translation>不会记住您的登录：%1。</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>登录(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>请输入服务器地址。</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Customer 360</source>
        <translation>客户 360</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>Settle &amp;conflicts…</source>
        <translation>解决冲突(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Refused changes…</source>
        <translation>被拒绝的修改(&amp;R)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Audio devices…</source>
        <translation>音频设备(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About %1</source>
        <translation>关于 %1(&amp;A)</translation>
    </message>
    <message>
        <source>Your state for the queue; a choice made on a call applies after it</source>
        <translation>您在队列中的状态；通话中所选状态在通话结束后生效</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Profile saved; it syncs when online.</source>
        <translation>资料已保存，联网后同步。</translation>
    </message>
    <message>
        <source>then %1</source>
        <translation>之后 %1</translation>
    </message>
    <message>
        <source>● Signed out</source>
        <translation>● 未登录</translation>
    </message>
    <message>
        <source>● Connecting…</source>
        <translation>● 正在连接…</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>● Offline — retrying</source>
        <translation>● 离线 — 正在重试</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Not ready</source>
        <translation>未就绪</translation>
    </message>
    <message>
        <source>On call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <source>Wrap-up</source>
        <translation>话后处理</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>坐席</translation>
    </message>
    <message>
        <source>Team lead</source>
        <translation>组长</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Agent state: %1</source>
        <translation>坐席状态：%1</translation>
    </message>
    <message>
        <source>The profile was not saved: %1</source>
        <translation>资料未保存：%1</translation>
    </message>
    <message>
        <source> · waiting to send: %1</source>
        <translation> · 待发送：%1</translation>
    </message>
    <message>
        <source>● Syncing %1 of %2</source>
        <translation>● 正在同步 %1 / %2</translation>
    </message>
    <message>
        <source>● Syncing…</source>
        <translation>● 正在同步…</translation>
    </message>
    <message>
        <source>● Offline since %1</source>
        <translation>● 自 %1 起离线</translation>
    </message>
    <message>
        <source>● Server not answering properly — retrying</source>
        <translation>● 服务器应答异常 — 正在重试</translation>
    </message>
    <message>
        <source>● Session ended — sign in again</source>
        <translation>● 会话已结束 — 请重新登录</translation>
    </message>
    <message>
        <source>Offline: this is the copy on this PC, last synced at %1; it may be out of date. Your changes are kept and sent when the server is back.</source>
        <translation>离线：显示的是本机副本，上次同步于 %1，可能不是最新。您的修改会保留，并在服务器恢复后发送。</translation>
    </message>
    <message>
        <source>Last synced at %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>被拒绝：%1</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>关于 %1</translation>
    </message>
    <message>
        <source>The desktop for contact-centre agents and team leads.</source>
        <translation>为呼叫中心坐席和组长打造的工作台。</translation>
    </message>
    <message>
        <source>Licensed under the GNU GPL, version 2 or later.</source>
        <translation>依据 GNU GPL 第 2 版或更高版本授权。</translation>
    </message>
</context>
<context>
    <name>NewCustomerDialog</name>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Organisation or person</source>
        <translation>单位或个人</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Mr</source>
        <translation>先生</translation>
    </message>
    <message>
        <source>Ms</source>
        <translation>女士</translation>
    </message>
    <message>
        <source>Dr</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Contact:</source>
        <translation>联系人(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Salutation:</source>
        <translation>称呼(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户名称。</translation>
    </message>
    <message>
        <source>At most 200 characters.</source>
        <translation>最多 200 个字符。</translation>
    </message>
    <message>
        <source>Enter the name of the person calling.</source>
        <translation>请输入来电人姓名。</translation>
    </message>
    <message>
        <source>This is not a phone number we can dial.</source>
        <translation>这不是可拨打的电话号码。</translation>
    </message>
    <message>
        <source>At most 500 characters.</source>
        <translation>最多 500 个字符。</translation>
    </message>
</context>
<context>
    <name>PhonePanel</name>
    <message>
        <source>The softphone will live here: incoming calls with the caller&apos;s number, answer, hold, mute, transfer, conference and a dial pad.</source>
        <translation>软电话将在此处：来电号码显示、接听、保持、静音、转接、会议和拨号盘。</translation>
    </message>
    <message>
        <source>Number or extension</source>
        <translation>号码或分机</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>呼叫</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒接</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>转接…</translation>
    </message>
    <message>
        <source>Complete transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Join your calls into one: everyone hears everyone</source>
        <translation>把您的通话合并为一个：所有人互相都能听到</translation>
    </message>
    <message>
        <source>Connect the caller on hold to the person you consulted, and leave the call</source>
        <translation>把保持中的来电者接给您咨询的人，然后您退出通话</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <source>Transfer this call to (number or extension):</source>
        <translation>把此通话转接到（号码或分机）：</translation>
    </message>
    <message>
        <source>Transfer completed.</source>
        <translation>转接完成。</translation>
    </message>
    <message>
        <source>The transfer failed (%1); the caller is still with you.</source>
        <translation>转接失败（%1）；来电者仍在您这里。</translation>
    </message>
    <message>
        <source>This phone can hold 4 calls at once. End or transfer one before dialling.</source>
        <translation>本话机最多同时保持 4 路通话。请先结束或转接一路再拨号。</translation>
    </message>
    <message>
        <source>Enter a number to call.</source>
        <translation>请输入要拨打的号码。</translation>
    </message>
    <message>
        <source>That is not a telephone key.</source>
        <translation>这不是电话按键。</translation>
    </message>
    <message>
        <source>That call has already ended.</source>
        <translation>该通话已结束。</translation>
    </message>
    <message>
        <source>The phone is not started.</source>
        <translation>话机尚未启动。</translation>
    </message>
    <message>
        <source>Ringing — incoming call</source>
        <translation>振铃 — 来电</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>正在呼叫…</translation>
    </message>
    <message>
        <source>Ringing at the other end</source>
        <translation>对方振铃中</translation>
    </message>
    <message>
        <source>On hold %1</source>
        <translation>保持中 %1</translation>
    </message>
    <message>
        <source>Talking %1</source>
        <translation>通话中 %1</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>已静音</translation>
    </message>
    <message>
        <source>they put you on hold</source>
        <translation>对方已将您保持</translation>
    </message>
    <message>
        <source>Ended: %1</source>
        <translation>已结束：%1</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <source>number not found</source>
        <translation>号码不存在</translation>
    </message>
    <message>
        <source>incomplete number</source>
        <translation>号码不完整</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>忙线</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>已拒接</translation>
    </message>
    <message>
        <source>the line is unavailable; try again shortly</source>
        <translation>线路不可用，请稍后再试</translation>
    </message>
    <message>
        <source>the other end&apos;s certificate is not trusted; ask IT for the CA file (phone.ca_file in the configuration)</source>
        <translation>对方的证书不受信任；请向 IT 部门索取 CA 文件（配置中的 phone.ca_file）</translation>
    </message>
    <message>
        <source>hung up</source>
        <translation>已挂断</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>● Registered to %1</source>
        <translation>● 已注册到 %1</translation>
    </message>
    <message>
        <source>● Registering to %1…</source>
        <translation>● 正在注册到 %1…</translation>
    </message>
    <message>
        <source>● Not registered: %1</source>
        <translation>● 未注册：%1</translation>
    </message>
    <message>
        <source>retrying at %1</source>
        <translation>将于 %1 重试</translation>
    </message>
    <message>
        <source>● Direct calls to %1</source>
        <translation>● 直拨地址 %1</translation>
    </message>
    <message>
        <source>● Phone off</source>
        <translation>● 话机未开启</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Salutation</source>
        <translation>称呼</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <source>Remove contact</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>A customer has at most %1 contacts.</source>
        <translation>一个客户最多有 %1 个联系人。</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Mr</source>
        <translation>先生</translation>
    </message>
    <message>
        <source>Ms</source>
        <translation>女士</translation>
    </message>
    <message>
        <source>Dr</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Contact %1: %2</source>
        <translation>联系人 %1：%2</translation>
    </message>
    <message>
        <source>enter the contact&apos;s name.</source>
        <translation>请输入联系人姓名。</translation>
    </message>
    <message>
        <source>the name is too long (at most %1 characters).</source>
        <translation>姓名太长（最多 %1 个字符）。</translation>
    </message>
    <message>
        <source>“%1” is not a phone number we can dial.</source>
        <translation>“%1”不是可拨打的电话号码。</translation>
    </message>
    <message>
        <source>enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <source>“%1” is not an email address.</source>
        <translation>“%1”不是电子邮件地址。</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户名称。</translation>
    </message>
    <message>
        <source>At most %1 characters.</source>
        <translation>最多 %1 个字符。</translation>
    </message>
    <message>
        <source>The notes are too long (%1 characters; at most %2).</source>
        <translation>备注太长（%1 个字符，最多 %2 个）。</translation>
    </message>
</context>
<context>
    <name>SessionService</name>
    <message>
        <source>Signed in, but the sign-in could not be remembered: %1</source>
        <translation>已登录，但无法记住登录状态：%1</translation>
    </message>
    <message>
        <source>Signed in to %1.</source>
        <translation>已登录到 %1。</translation>
    </message>
</context>
<context>
    <name>SyncService</name>
    <message>
        <source>The local copy of your data could not be used and is being downloaded again. (%1)</source>
        <translation>本地数据副本无法使用，正在重新下载。（%1）</translation>
    </message>
    <message>
        <source>The local cache cannot be opened: %1. Working online only.</source>
        <translation>无法打开本地缓存：%1。仅在线工作。</translation>
    </message>
    <message>
        <source>The local cache is not open yet.</source>
        <translation>本地缓存尚未打开。</translation>
    </message>
</context>
<context>
    <name>UnsentDialog</name>
    <message>
        <source>Changes the server refused</source>
        <translation>服务器拒绝的修改</translation>
    </message>
    <message>
        <source>The server did not accept these changes. Correct the field it names and resend, or discard the change. Your other changes are not held up.</source>
        <translation>服务器未接受这些修改。请更正其指出的字段后重新发送，或放弃该修改。您的其他修改不受影响。</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Discard change</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>New %1</source>
        <translation>新%1</translation>
    </message>
    <message>
        <source>Deletion of %1</source>
        <translation>删除%1</translation>
    </message>
    <message>
        <source>Change to %1 #%2</source>
        <translation>修改%1 #%2</translation>
    </message>
    <message>
        <source>Nothing is waiting for you here.</source>
        <translation>这里没有需要您处理的内容。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1 必须是整数。</translation>
    </message>
</context>
<context>
    <name>WorkArea</name>
    <message>
        <source>Service requests</source>
        <translation>服务工单</translation>
    </message>
    <message>
        <source>Your team&apos;s tickets with SLA clocks: create one from a call, escalate a complaint, and follow every change.</source>
        <translation>本组的工单及 SLA 计时：从通话创建工单、升级投诉、跟踪每一次变更。</translation>
    </message>
    <message>
        <source>Field dispatch</source>
        <translation>现场派工</translation>
    </message>
    <message>
        <source>Work orders for technicians: time window, method, result and re-dispatch.</source>
        <translation>工程师的工作单：上门时段、服务方式、处理结果和重新派工。</translation>
    </message>
    <message>
        <source>Knowledge base</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Search answers in Chinese and English; likely articles are suggested while you type, and unanswered questions go to experts.</source>
        <translation>用中文或英文搜索答案；输入时自动推荐可能相关的文章，无法解答的问题转给专家。</translation>
    </message>
    <message>
        <source>&amp;Tickets</source>
        <translation>工单(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation>派工(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Knowledge base</source>
        <translation>知识库(&amp;K)</translation>
    </message>
</context>
<context>
    <name>Workstation</name>
    <message>
        <source>the demo does not remember sign-ins</source>
        <translation>演示模式不记住登录</translation>
    </message>
    <message>
        <source>The phone could not start: %1</source>
        <translation>话机无法启动：%1</translation>
    </message>
    <message>
        <source>The audio device %1 is gone; now using %2.</source>
        <translation>音频设备 %1 已断开；现在使用 %2。</translation>
    </message>
    <message>
        <source>no device</source>
        <translation>无设备</translation>
    </message>
    <message>
        <source>Starting the demo backend…</source>
        <translation>正在启动演示后台…</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Demo: you are Ready, so demo customers will call this desk: the first in a few seconds, then about every %1 s. Choose Not Ready to stop them.</source>
        <translation>演示：您已就绪，演示客户会呼入本座席：第一通几秒后到来，之后约每 %1 秒一通。选择“未就绪”即可停止。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出现错误：%1</translation>
    </message>
    <message>
        <source>The details are in the log.</source>
        <translation>详细信息已写入日志。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
</TS>
